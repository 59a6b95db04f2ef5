/* A native worker on glibc malloc. Modes (all with steady churn of short-lived blocks):
   frag   a fixed number of live blocks of mixed sizes, replaced at random (fragmentation plateau)
   fill   a cache of N 2 KiB slots filled on random access, 300 a second (a decelerating warm-up)
   plus --leak-mib-h R (from --leak-start-s S) and --step-mib M at --step-s T.
   cc -O2 -o cwork cwork.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    const char *mode = "frag"; double leak = 0, leak_start = 0, step_mib = 0, step_s = 0; long slots = 20000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--mode")) mode = argv[i + 1];
        else if (!strcmp(argv[i], "--leak-mib-h")) leak = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--leak-start-s")) leak_start = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--step-mib")) step_mib = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--step-s")) step_s = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--slots")) slots = atol(argv[i + 1]);
    }
    static const size_t sizes[] = {32, 200, 1500, 9000, 70000, 300000};
    char **live = calloc(slots, sizeof *live);
    double start = now(), carry = 0, per_second = leak * 1048576 / 3600; int stepped = 0;
    srand(42);
    for (;;) {
        double t = now() - start;
        for (int k = 0; k < 300; k++) {
            long i = rand() % slots;
            if (!strcmp(mode, "frag")) {
                free(live[i]);
                size_t n = sizes[rand() % (sizeof sizes / sizeof *sizes - (rand() % 4 ? 2 : 0))];
                live[i] = malloc(n); memset(live[i], k, n);
            } else if (k % 10 == 0 && !live[i]) {
                live[i] = malloc(2048); memset(live[i], k, 2048);
            }
            char *tmp = malloc(4096 + rand() % 60000); memset(tmp, 1, 4096); free(tmp);
        }
        if (per_second > 0 && t >= leak_start) {
            carry += per_second * 0.1;
            if (carry >= 4096) { char *p = malloc((size_t) carry); memset(p, 7, (size_t) carry); carry = 0; }
        }
        if (step_mib > 0 && !stepped && t >= step_s) {
            size_t n = (size_t) (step_mib * 1048576); char *p = malloc(n); memset(p, 3, n); stepped = 1;
        }
        usleep(100000);
    }
}
