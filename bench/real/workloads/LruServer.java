// A JVM HTTP service with a bounded LRU (LinkedHashMap); optionally a leak retained each second.
// java -Xmx256m LruServer PORT CAP LEAK_MIB_H
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;

public class LruServer {
    static final List<byte[]> LEAK = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int cap = Integer.parseInt(args[1]);
        double leakMibH = Double.parseDouble(args[2]);
        Map<String, byte[]> cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> e) { return size() > cap; }
        });
        Random random = new Random();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/", exchange -> {
            String key = String.valueOf(exchange.getRequestURI().getQuery());
            byte[] value = cache.computeIfAbsent(key, k -> { byte[] b = new byte[1024]; random.nextBytes(b); return b; });
            byte[] body = ("{\"k\":\"" + key + "\",\"n\":" + cache.size() + ",\"s\":" + value.length + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        int perSecond = (int) (leakMibH * 1024 * 1024 / 3600);
        if (perSecond > 0) {
            Executors.newSingleThreadScheduledExecutor().scheduleAtFixedRate(() -> {
                byte[] b = new byte[perSecond]; random.nextBytes(b); synchronized (LEAK) { LEAK.add(b); }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }
}
