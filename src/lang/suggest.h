/* "did you mean" candidates by edit distance. */
#ifndef C7_LANG_SUGGEST_H
#define C7_LANG_SUGGEST_H

#include <stddef.h>

struct suggest {
	const char *word;
	const char *best;
	size_t best_dist;
};

void suggest_init(struct suggest *s, const char *word);
void suggest_consider(struct suggest *s, const char *candidate);
/* The closest candidate if it is close enough to be a likely typo. */
const char *suggest_result(const struct suggest *s);

#endif
