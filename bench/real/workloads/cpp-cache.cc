// A C++ cache under churn (std::unordered_map of std::string values of mixed sizes, bounded,
// oldest evicted through a std::list), as native services have; optionally a leak.
// cpp-cache [--cap N] [--keyspace K] [--rate OPS_PER_S] [--leak-mib-h L] [--leak-start-s S]
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <list>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

int main(int argc, char **argv) {
	size_t cap = 50000, keyspace = 200000;
	double rate = 5000, leakMibH = 0, leakStart = 0;
	for (int i = 1; i + 1 < argc; i += 2) {
		std::string k = argv[i];
		double v = std::atof(argv[i + 1]);
		if (k == "--cap") cap = v; else if (k == "--keyspace") keyspace = v; else if (k == "--rate") rate = v;
		else if (k == "--leak-mib-h") leakMibH = v; else if (k == "--leak-start-s") leakStart = v;
	}
	std::mt19937_64 random(42);
	std::lognormal_distribution<double> sizes(6.0, 1.0);  // median ~400 bytes, a long tail
	std::list<uint64_t> order;
	std::unordered_map<uint64_t, std::pair<std::string, std::list<uint64_t>::iterator>> cache;
	std::vector<char *> leaked;
	double leakCarry = 0;
	const double tick = 0.05;
	auto start = std::chrono::steady_clock::now();
	auto next = start;
	for (;;) {
		for (int n = 0; n < rate * tick; n++) {
			uint64_t key = random() % keyspace;
			auto hit = cache.find(key);
			if (hit != cache.end()) {
				order.erase(hit->second.second);
				order.push_front(key);
				hit->second.second = order.begin();
				continue;
			}
			size_t size = std::min<size_t>(64 + sizes(random), 64 * 1024);
			std::string value(size, char('a' + key % 26));
			order.push_front(key);
			cache.emplace(key, std::make_pair(std::move(value), order.begin()));
			if (cache.size() > cap) {
				cache.erase(order.back());
				order.pop_back();
			}
		}
		double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
		if (leakMibH > 0 && elapsed >= leakStart) {
			leakCarry += leakMibH * 1048576 / 3600 * tick;
			while (leakCarry >= 512) {
				char *block = new char[512];
				std::memset(block, 1, 512);
				leaked.push_back(block);
				leakCarry -= 512;
			}
		}
		next += std::chrono::milliseconds(50);
		std::this_thread::sleep_until(next);
	}
}
