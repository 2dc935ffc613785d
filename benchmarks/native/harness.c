/*
 * The native reference of the benchmark protocol (benchmarks.md): the same
 * guest C source as a WebAssembly module (examples/modules/src), compiled with
 * gcc -O2 as a normal Linux program and timed per call in a loop. The guest's
 * stdin and stdout (read(0) and write(1) in k8s_wasm_guest.h) are served from
 * memory, so a call is exactly the policy logic: read and parse the envelope,
 * decide, write the response. This is the floor for that logic.
 *
 * Build (run.sh does it):
 *   gcc -O2 -Wno-attributes -Dread=kwb_read -Dwrite=kwb_write \
 *       -I examples/modules/src -DKW_MODULE='"magic_validator.c"' -DKW_ENTRY=validate \
 *       -o validator benchmarks/native/harness.c
 * Run: validator INPUT.json SECONDS  -> one JSON object on stdout
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *in_buf;
static size_t in_len, in_pos;
static char *out_buf;
static size_t out_len, out_cap;

ssize_t kwb_read(int fd, void *buf, size_t n) {
    if (fd != 0) return -1;
    size_t k = in_len - in_pos < n ? in_len - in_pos : n;
    memcpy(buf, in_buf + in_pos, k);
    in_pos += k;
    return (ssize_t)k;
}

ssize_t kwb_write(int fd, const void *buf, size_t n) {
    if (fd == 1) {
        if (out_len + n > out_cap) {
            out_cap = (out_len + n) * 2;
            out_buf = realloc(out_buf, out_cap);
        }
        memcpy(out_buf + out_len, buf, n);
        out_len += n;
    }
    return (ssize_t)n;
}

#include KW_MODULE

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void call(void) {
    in_pos = 0;
    out_len = 0;
    KW_ENTRY();
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s INPUT SECONDS\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)size);
    if (fread(data, 1, (size_t)size, f) != (size_t)size) { perror("fread"); return 1; }
    fclose(f);
    in_buf = data;
    in_len = (size_t)size;
    double seconds = atof(argv[2]);

    call();
    if (out_len == 0 || memcmp(out_buf, "{\"response\":", 12) != 0) {
        fprintf(stderr, "unexpected output: %.*s\n", (int)(out_len > 200 ? 200 : out_len), out_buf);
        return 1;
    }
    for (double end = now_us() + 0.5e6; now_us() < end;) call(); /* warm-up */

    size_t cap = 1 << 20, n = 0;
    double *samples = malloc(cap * sizeof *samples);
    double start = now_us(), end = start + seconds * 1e6, t;
    while ((t = now_us()) < end && n < cap) {
        call();
        samples[n++] = now_us() - t;
    }
    double elapsed = (now_us() - start) / 1e6, sum = 0;
    for (size_t i = 0; i < n; i++) sum += samples[i];
    qsort(samples, n, sizeof *samples, cmp);
    printf("{\"p50_us\": %.3f, \"p99_us\": %.3f, \"mean_us\": %.3f, \"ops_per_s\": %.1f, \"calls\": %zu}\n",
           samples[n / 2], samples[(size_t)(n * 0.99)], sum / n, n / elapsed, n);
    return 0;
}
