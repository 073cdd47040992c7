/*
 * bench-writer: the application in tools/bench-online.sh.  One connection
 * writes a single row every INTERVAL_MS milliseconds (alternately an
 * UPDATE of a random existing row and an INSERT), timing each statement,
 * until STOPFILE exists.  Then it prints one line of figures: how many
 * statements ran, the longest wait of any of them, percentiles, and how
 * many waited longer than 100 ms, 300 ms and 1 s.  A statement that fails
 * is counted and its error printed to stderr: a migration must not break
 * the application either.
 *
 *   bench-writer CONNINFO INTERVAL_MS ROWS USERS STOPFILE
 *
 * Built by tools/bench-online.sh: cc -O2 bench-writer.c -lpq.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One row written: an UPDATE of a random row or an INSERT with a valid
 * user and a unique code, so that the constraints a migration adds hold. */
static int write_one(PGconn *conn, long n, long rows, long users)
{
	char a[32], b[32];
	const char *params[2] = { a, b };
	PGresult *r;
	if (n % 2 == 0) {
		snprintf(a, sizeof(a), "%ld", 1 + random() % rows);
		r = PQexecParams(conn, "UPDATE big SET v = v + 1 WHERE id = $1::bigint",
				 1, NULL, params, NULL, NULL, 0);
	} else {
		snprintf(a, sizeof(a), "%ld", 1 + random() % users);
		snprintf(b, sizeof(b), "w%d-%ld", (int)getpid(), n);
		r = PQexecParams(conn, "INSERT INTO big (user_id, v, code, note)"
				 " VALUES ($1::bigint, 0, $2, 'writer')",
				 2, NULL, params, NULL, NULL, 0);
	}
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "bench-writer: %s", PQerrorMessage(conn));
	PQclear(r);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: bench-writer CONNINFO INTERVAL_MS ROWS USERS STOPFILE\n");
		return 2;
	}
	double interval = atof(argv[2]);
	long rows = atol(argv[3]), users = atol(argv[4]);
	const char *stop = argv[5];
	PGconn *conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "bench-writer: %s", PQerrorMessage(conn));
		return 1;
	}
	size_t cap = 1 << 16, n = 0;
	double *lat = malloc(cap * sizeof(*lat));
	long failed = 0;
	double start = now_ms(), worst = 0, worst_at = 0;
	srandom((unsigned)getpid());
	while (access(stop, F_OK) != 0) {
		double t0 = now_ms();
		if (!write_one(conn, (long)n, rows, users))
			failed++;
		double took = now_ms() - t0;
		if (n == cap) {
			cap *= 2;
			lat = realloc(lat, cap * sizeof(*lat));
		}
		lat[n++] = took;
		if (took > worst) {
			worst = took;
			worst_at = t0 - start;
		}
		double next = t0 + interval;
		double left = next - now_ms();
		if (left > 0)
			usleep((useconds_t)(left * 1000));
	}
	if (!n) {
		fprintf(stderr, "bench-writer: no statement ran\n");
		return 1;
	}
	qsort(lat, n, sizeof(*lat), cmp_double);
	size_t over100 = 0, over300 = 0, over1000 = 0;
	for (size_t i = 0; i < n; i++) {
		over100 += lat[i] > 100;
		over300 += lat[i] > 300;
		over1000 += lat[i] > 1000;
	}
	printf("statements=%zu failed=%ld max_ms=%.0f max_at_s=%.1f p50_ms=%.1f p99_ms=%.1f"
	       " over_100ms=%zu over_300ms=%zu over_1s=%zu\n",
	       n, failed, lat[n - 1], worst_at / 1000.0, lat[n / 2], lat[(n * 99) / 100],
	       over100, over300, over1000);
	free(lat);
	PQfinish(conn);
	return 0;
}
