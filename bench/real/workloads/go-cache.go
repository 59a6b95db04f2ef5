// A Go HTTP service: a bounded map cache (a ring of keys; the oldest evicted past -cap), a JSON
// answer per request, and optionally a leak retained each second. Loopback only.
// go-cache -port P [-cap N] [-leak-mib-h L]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"net/http"
	"sync"
	"time"
)

func main() {
	port := flag.Int("port", 7401, "port")
	capacity := flag.Int("cap", 20000, "cache entries")
	leakRate := flag.Float64("leak-mib-h", 0, "leak, MiB/h")
	flag.Parse()
	var mu sync.Mutex
	cache := map[string][]byte{}
	ring := make([]string, 0, *capacity)
	var leak [][]byte
	go func() {
		perTick := *leakRate * 1048576 / 3600 / 10
		carry := 0.0
		for range time.Tick(100 * time.Millisecond) {
			carry += perTick
			if carry >= 4096 {
				b := make([]byte, int(carry))
				for i := range b {
					b[i] = byte(i)
				}
				mu.Lock()
				leak = append(leak, b)
				mu.Unlock()
				carry -= float64(int(carry))
			}
		}
	}()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.RawQuery
		mu.Lock()
		value, ok := cache[key]
		if !ok {
			value = make([]byte, 1024)
			rand.Read(value)
			cache[key] = value
			ring = append(ring, key)
			if len(ring) > *capacity {
				delete(cache, ring[0])
				ring = ring[1:]
			}
		}
		n := len(cache)
		mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"k": key, "n": n, "s": len(value)})
	})
	http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *port), nil)
}
