/* loadgen: a small HTTP load generator for `caseaudit serve` (SPEC §11: page views
 * a second and latency under 50 concurrent sessions), since none is assumed
 * installed. One thread and one keep-alive connection per session; each reads
 * "TOKEN PATH..." lines from standard input (one line a session) and requests its
 * paths in turn, with its session cookie, for SECONDS. Prints page views, page
 * views a second, p50, p99 and the slowest latency, and the count of responses
 * other than 200 (which make the exit status 1).
 *   loadgen PORT SECONDS < sessions
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SESSIONS = 256, MAX_PATHS = 16, RESP_MAX = 1 << 20 };

struct session {
    char token[80];
    char *path[MAX_PATHS];
    int npaths;
    double *lat;          /* milliseconds, one per page view */
    long n, cap, bad;
};

static int port;
static double until;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int connect_local(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Sends one GET and reads its whole response; returns the status, or -1. */
static int get(int fd, const struct session *s, const char *path, char *buf)
{
    char req[1024];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: caseaudit=%s\r\n\r\n", path,
                     port, s->token);
    if (write(fd, req, (size_t)n) != n)
        return -1;
    size_t have = 0;
    char *body = NULL;
    long want = -1;
    for (;;) {
        ssize_t got = read(fd, buf + have, RESP_MAX - 1 - have);
        if (got <= 0)
            return -1;
        have += (size_t)got;
        buf[have] = 0;
        if (!body && (body = strstr(buf, "\r\n\r\n"))) {
            char *cl = strstr(buf, "\r\nContent-Length:");   /* as libmicrohttpd spells it */
            if (!cl || cl > body)
                return -1;
            want = (long)(body + 4 - buf) + atol(cl + 17);
        }
        if (body && (long)have >= want)
            return atoi(buf + 9);
        if (have >= RESP_MAX - 1)
            return -1;
    }
}

static void *run(void *arg)
{
    struct session *s = arg;
    char *buf = malloc(RESP_MAX);
    int fd = connect_local();
    for (long k = 0; buf && now_s() < until; k++) {
        double t0 = now_s();
        int st = fd < 0 ? -1 : get(fd, s, s->path[k % s->npaths], buf);
        if (st < 0) {   /* the server closed the connection: open another */
            if (fd >= 0)
                close(fd);
            fd = connect_local();
            s->bad++;
            continue;
        }
        if (s->n == s->cap) {
            s->cap = s->cap ? 2 * s->cap : 4096;
            double *p = realloc(s->lat, (size_t)s->cap * sizeof *p);
            if (!p)
                break;
            s->lat = p;
        }
        s->lat[s->n++] = (now_s() - t0) * 1000;
        if (st != 200)
            s->bad++;
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 3)
        return fprintf(stderr, "usage: loadgen PORT SECONDS < sessions\n"), 2;
    port = atoi(argv[1]);
    double seconds = atof(argv[2]);
    static struct session ss[MAX_SESSIONS];
    int ns = 0;
    char line[4096];
    while (ns < MAX_SESSIONS && fgets(line, sizeof line, stdin)) {
        struct session *s = &ss[ns];
        char *save = NULL, *tok = strtok_r(line, " \n", &save);
        if (!tok)
            continue;
        snprintf(s->token, sizeof s->token, "%s", tok);
        while (s->npaths < MAX_PATHS && (tok = strtok_r(NULL, " \n", &save)))
            s->path[s->npaths++] = strdup(tok);
        if (s->npaths)
            ns++;
    }
    pthread_t th[MAX_SESSIONS];
    double t0 = now_s();
    until = t0 + seconds;
    for (int i = 0; i < ns; i++)
        pthread_create(&th[i], NULL, run, &ss[i]);
    for (int i = 0; i < ns; i++)
        pthread_join(th[i], NULL);
    double elapsed = now_s() - t0;
    long total = 0, bad = 0;
    for (int i = 0; i < ns; i++)
        total += ss[i].n, bad += ss[i].bad;
    double *all = malloc((size_t)(total ? total : 1) * sizeof *all);
    if (!all)
        return 1;
    long k = 0;
    for (int i = 0; i < ns; i++)
        for (long j = 0; j < ss[i].n; j++)
            all[k++] = ss[i].lat[j];
    qsort(all, (size_t)total, sizeof *all, cmp);
    /* nearest-rank percentiles */
    double p50 = total ? all[(total * 50 + 99) / 100 - 1] : 0, p99 = total ? all[(total * 99 + 99) / 100 - 1] : 0;
    printf("sessions %d page_views %ld seconds %.2f per_second %.0f p50_ms %.2f p99_ms %.2f max_ms %.2f not_ok %ld\n",
           ns, total, elapsed, total / elapsed, p50, p99, total ? all[total - 1] : 0, bad);
    free(all);
    return bad ? 1 : 0;
}
