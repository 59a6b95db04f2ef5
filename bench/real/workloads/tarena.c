// gcc -O2 -pthread -o tarena tarena.c && ./tarena
// Eight threads, each keeping a bounded set of blocks of random sizes (16 B .. 64 KiB) under
// churn: glibc gives each thread an arena; they grow and fragment, then plateau. No leak.
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define SLOTS 6000
static void *work(void *arg) {
    unsigned seed = (unsigned)(size_t)arg; void *slot[SLOTS] = {0};
    for (;;) {
        for (int i = 0; i < 2000; i++) {
            int k = rand_r(&seed) % SLOTS; free(slot[k]);
            size_t size = (rand_r(&seed) % 100 < 95) ? 16 + rand_r(&seed) % 2048 : 4096 + rand_r(&seed) % 61440;
            slot[k] = malloc(size); memset(slot[k], 1, size < 256 ? size : 256);
        }
        usleep(20000);
    }
    return 0;
}
int main(void) { pthread_t t[8]; for (long i = 0; i < 8; i++) pthread_create(&t[i], 0, work, (void *)(i + 1)); pthread_join(t[0], 0); }
