/*
 * The bare libcsv limit: how fast libcsv alone parses a file, on one thread and on two,
 * as a bound for pumpaudit's ingest (which feeds libcsv too, and then does its own work).
 *
 *   libcsv-bare [-e] [-p] [-r RUNS] FILE
 *
 * Each thread reads its part of FILE with read() in 1 MiB chunks and hands every chunk to
 * csv_parse with its own csv_parser; the callbacks count fields and records (-e: they do
 * nothing, and the counts stay 0). With two threads, the file is cut at the first line
 * break after its middle. A cut inside a quoted field that holds a line break would
 * mis-split that one record (the first half would end inside the quotes and the second
 * start in the middle of the field), which does not matter for a throughput bound; the
 * parser is not strict, so such a record is parsed and counted, not fatal.
 *
 * By default libcsv runs with its default settings (options 0, CSV_APPEND_NULL not set).
 * -p uses pumpaudit's settings for a comma file instead (CSVRecordReader): CSV_STRICT |
 * CSV_STRICT_FINI and 64 KiB blocks. (pumpaudit adds a space function that takes only ' '
 * as a space for tab-delimited files alone; it costs an indirect call per byte.)
 *
 * Prints, for 1 and 2 threads, the best of RUNS (default 3) wall-clock times, in MB/s
 * (1e6 bytes), with the fields and records counted. The first run also warms the page cache.
 * It also prints the best CPU time of the slowest thread (CLOCK_THREAD_CPUTIME_ID) and the
 * MB/s it gives: the rate if every thread had a core of its own, which holds when other
 * processes share the cores and the wall-clock figure does not.
 *
 * Build: gcc -O2 -o libcsv-bare libcsv-bare.c -lcsv -lpthread (scripts/bench-libcsv does).
 */
#define _GNU_SOURCE
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static const char *path;
static int empty_callbacks;
static int pumpaudit_settings;

struct part {
    off_t start, end;  /* bytes [start, end) of the file */
    unsigned long long fields, records;
    double cpu;  /* the thread's CPU time, seconds */
    int failed;
    pthread_t thread;
};

static void count_field(void *data, size_t len, void *arg) {
    (void)data;
    (void)len;
    ((struct part *)arg)->fields++;
}

static void count_record(int c, void *arg) {
    (void)c;
    ((struct part *)arg)->records++;
}

static void empty_field(void *data, size_t len, void *arg) {
    (void)data;
    (void)len;
    (void)arg;
}

static void empty_record(int c, void *arg) {
    (void)c;
    (void)arg;
}


static void *parse_part(void *arg) {
    struct part *part = arg;
    void (*field_cb)(void *, size_t, void *) = empty_callbacks ? empty_field : count_field;
    void (*record_cb)(int, void *) = empty_callbacks ? empty_record : count_record;
    struct csv_parser parser;
    if (csv_init(&parser, pumpaudit_settings ? CSV_STRICT | CSV_STRICT_FINI : 0) != 0) {
        part->failed = 1;
        return NULL;
    }
    if (pumpaudit_settings) {
        csv_set_blk_size(&parser, 64 << 10);
        /* pumpaudit sets the space function only for a tab-delimited file, where a tab
           that delimits must not be trimmed; this benchmark reads comma files. */
    }
    char *buffer = malloc(CHUNK);
    int fd = open(path, O_RDONLY);
    if (!buffer || fd < 0 || lseek(fd, part->start, SEEK_SET) < 0) {
        perror(path);
        part->failed = 1;
        goto done;
    }
    off_t left = part->end - part->start;
    while (left > 0) {
        ssize_t n = read(fd, buffer, left < CHUNK ? (size_t)left : CHUNK);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            fprintf(stderr, "%s: read failed\n", path);
            part->failed = 1;
            goto done;
        }
        if (csv_parse(&parser, buffer, (size_t)n, field_cb, record_cb, part) != (size_t)n) {
            fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&parser)));
            part->failed = 1;
            goto done;
        }
        left -= n;
    }
    if (csv_fini(&parser, field_cb, record_cb, part) != 0) {
        fprintf(stderr, "%s: %s at the end of a part\n", path, csv_strerror(csv_error(&parser)));
        part->failed = 1;
    }
done:
    {
        struct timespec t;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        part->cpu = t.tv_sec + t.tv_nsec / 1e9;
    }
    if (fd >= 0) close(fd);
    free(buffer);
    csv_free(&parser);
    return NULL;
}

/* The offset just after the first line break at or after the middle of the file. */
static off_t middle_cut(off_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return size / 2;
    char buffer[65536];
    off_t at = size / 2;
    for (;;) {
        ssize_t n = pread(fd, buffer, sizeof buffer, at);
        if (n <= 0) break;
        char *nl = memchr(buffer, '\n', (size_t)n);
        if (nl) {
            close(fd);
            return at + (nl - buffer) + 1;
        }
        at += n;
    }
    close(fd);
    return size;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    int runs = 3, opt;
    while ((opt = getopt(argc, argv, "epr:")) != -1) {
        switch (opt) {
        case 'e': empty_callbacks = 1; break;
        case 'p': pumpaudit_settings = 1; break;
        case 'r': runs = atoi(optarg); break;
        default: goto usage;
        }
    }
    if (optind != argc - 1 || runs < 1) {
    usage:
        fprintf(stderr, "usage: libcsv-bare [-e] [-p] [-r RUNS] FILE\n");
        return 2;
    }
    path = argv[optind];
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return 1;
    }
    off_t size = st.st_size;
    off_t cut = middle_cut(size);
    printf("%s: %lld bytes (%.1f MB), libcsv %s settings, %s callbacks, best of %d\n", path, (long long)size,
           size / 1e6, pumpaudit_settings ? "pumpaudit's" : "default", empty_callbacks ? "empty" : "counting", runs);
    for (int threads = 1; threads <= 2; threads++) {
        double best = 0, best_cpu = 0;
        unsigned long long fields = 0, records = 0;
        for (int run = 0; run < runs; run++) {
            struct part parts[2];
            memset(parts, 0, sizeof parts);
            parts[0].end = threads == 1 ? size : cut;
            parts[1].start = cut;
            parts[1].end = size;
            double started = now();
            for (int i = 0; i < threads; i++) {
                if (pthread_create(&parts[i].thread, NULL, parse_part, &parts[i]) != 0) {
                    fprintf(stderr, "pthread_create failed\n");
                    return 1;
                }
            }
            for (int i = 0; i < threads; i++) pthread_join(parts[i].thread, NULL);
            double seconds = now() - started;
            for (int i = 0; i < threads; i++) {
                if (parts[i].failed) return 1;
            }
            if (run == 0 || seconds < best) best = seconds;
            double cpu = parts[0].cpu;
            if (threads == 2 && parts[1].cpu > cpu) cpu = parts[1].cpu;
            if (run == 0 || cpu < best_cpu) best_cpu = cpu;
            fields = parts[0].fields + (threads == 2 ? parts[1].fields : 0);
            records = parts[0].records + (threads == 2 ? parts[1].records : 0);
        }
        printf("%d thread%s  %7.3f s  %7.1f MB/s  (slowest thread's CPU %6.3f s, %6.1f MB/s)  fields %llu  records %llu"
               " (the header included)\n",
               threads, threads == 1 ? " " : "s", best, size / 1e6 / best, best_cpu, size / 1e6 / best_cpu, fields,
               records);
    }
    return 0;
}
