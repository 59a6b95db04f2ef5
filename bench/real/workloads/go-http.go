// A Go HTTP server (net/http) with a bounded cache of 20,000 items; optionally a goroutine leak:
// for some requests a worker goroutine is started that waits on a channel nobody ever sends on,
// holding its buffer (the commonest Go leak).
// go-http -port P [-cap N] [-value-bytes B] [-leak-mib-h L]
package main

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type entry struct {
	key  string
	body string
	hits int
}

func main() {
	port := flag.Int("port", 0, "port")
	capacity := flag.Int("cap", 20000, "cache items")
	valueBytes := flag.Int("value-bytes", 1024, "bytes a value holds")
	leak := flag.Float64("leak-mib-h", 0, "leak, MiB per hour")
	flag.Parse()
	// What a stuck goroutine holds: its buffer, and its stack (a few KiB).
	const bufferBytes = 4096
	perSecond := *leak * 1024 * 1024 / 3600 / (bufferBytes + 4096)
	var mu sync.Mutex
	order := list.New()
	items := map[string]*list.Element{}
	credit := 0.0
	last := time.Now()
	never := make(chan struct{})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("k")
		mu.Lock()
		el, ok := items[key]
		if ok {
			order.MoveToFront(el)
		} else {
			raw := make([]byte, *valueBytes/2)
			rand.Read(raw)
			el = order.PushFront(&entry{key: key, body: hex.EncodeToString(raw)})
			items[key] = el
			if order.Len() > *capacity {
				oldest := order.Back()
				order.Remove(oldest)
				delete(items, oldest.Value.(*entry).key)
			}
		}
		e := el.Value.(*entry)
		e.hits++
		hits, size, n := e.hits, len(e.body), order.Len()
		stuck := false
		if perSecond > 0 {
			now := time.Now()
			credit += now.Sub(last).Seconds() * perSecond
			last = now
			if credit >= 1 {
				credit--
				stuck = true
			}
		}
		mu.Unlock()
		if stuck {
			go func() {
				buffer := make([]byte, bufferBytes)
				rand.Read(buffer)
				<-never
				fmt.Println(buffer[0])
			}()
		}
		w.Header().Set("content-type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"key": key, "hits": hits, "size": size, "n": n})
	})
	http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *port), nil)
}
