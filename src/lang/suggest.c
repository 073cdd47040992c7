#include "lang/suggest.h"

#include <string.h>

/* Candidates longer than this are never suggested; it also bounds the
 * work of the distance computation. */
#define SUGGEST_MAX_LEN 64

void suggest_init(struct suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->best_dist = (size_t)-1;
}

/* Optimal string alignment distance (transpositions count once). */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t prev2[SUGGEST_MAX_LEN + 1], prev[SUGGEST_MAX_LEN + 1],
		cur[SUGGEST_MAX_LEN + 1];
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (prev[j - 1] + cost < best)
				best = prev[j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		memcpy(prev2, prev, sizeof(prev));
		memcpy(prev, cur, sizeof(cur));
	}
	return prev[m];
}

void suggest_consider(struct suggest *s, const char *candidate)
{
	size_t n = strlen(s->word), m = strlen(candidate);
	if (n > SUGGEST_MAX_LEN || m > SUGGEST_MAX_LEN ||
	    strcmp(s->word, candidate) == 0)
		return;
	size_t d = distance(s->word, n, candidate, m);
	if (d < s->best_dist) {
		s->best_dist = d;
		s->best = candidate;
	}
}

const char *suggest_result(const struct suggest *s)
{
	if (!s->best)
		return NULL;
	size_t n = strlen(s->word);
	size_t limit = n < 4 ? 1 : n / 3 + 1;
	return s->best_dist <= limit ? s->best : NULL;
}
