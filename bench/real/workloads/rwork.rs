// A Rust worker: a bounded HashMap cache under churn, and optionally a leak that arrives in
// steps (a chunk kept every --step-s seconds, sized for the designed rate).
// rustc -O rwork.rs; ./rwork [--cap N] [--leak-mib-h R] [--step-s S]
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str, default: f64| -> f64 {
        args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
    };
    let cap = get("--cap", 30000.0) as usize;
    let leak = get("--leak-mib-h", 0.0);
    let step_s = get("--step-s", 300.0);
    let mut cache: HashMap<u64, Vec<u8>> = HashMap::new();
    let mut order: std::collections::VecDeque<u64> = Default::default();
    let mut kept: Vec<Vec<u8>> = Vec::new();
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let start = Instant::now();
    let mut next_step = step_s;
    loop {
        for _ in 0..400 {
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
            let key = seed % 200_000;
            if !cache.contains_key(&key) {
                let size = 256 + (seed % 1800) as usize;
                cache.insert(key, vec![(seed & 0xff) as u8; size]);
                order.push_back(key);
                if cache.len() > cap { if let Some(old) = order.pop_front() { cache.remove(&old); } }
            }
            let scratch: Vec<u8> = vec![1; 512 + (seed % 8192) as usize];
            std::hint::black_box(&scratch);
        }
        let t = start.elapsed().as_secs_f64();
        if leak > 0.0 && t >= next_step {
            let n = (leak * 1048576.0 / 3600.0 * step_s) as usize;
            kept.push(vec![9u8; n]);
            next_step += step_s;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
