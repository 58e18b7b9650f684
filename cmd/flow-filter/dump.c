/* Printing the compiled tree (dump.h). */
#include "dump.h"
#include "flow/flowaddr.h"

static const char *const op_text[] = { "=", "!=", "<", "<=", ">", ">=" };
static const char *const inner_text[] = { "and", "or", "not" };

static void leaf(const struct ftree *t, const struct fnode *n, FILE *fp)
{
	const char *v = fvalue_name((enum fvalue)n->value);
	char a[FLOW_ADDR_STRLEN];

	switch ((enum fnode_kind)n->kind) {
	case FN_TRUE:
		fprintf(fp, "any\n");
		break;
	case FN_CMP:
		fprintf(fp, "%s %s %llu\n", v, op_text[n->op], (unsigned long long)n->lo);
		break;
	case FN_RANGE:
		fprintf(fp, "%s in %llu-%llu\n", v, (unsigned long long)n->lo,
		    (unsigned long long)n->hi);
		break;
	case FN_SET:
		fprintf(fp, "%s in [", v);
		for (int i = 0; i < n->b; i++)
			fprintf(fp, i ? " %llu" : "%llu", (unsigned long long)t->set[n->a + i]);
		fprintf(fp, "]\n");
		break;
	case FN_NET:
		flow_addr_format(&n->net, a);
		fprintf(fp, "%s in %s/%u\n", v, a, n->plen);
		break;
	case FN_FLAGS:
		fprintf(fp, "%s set 0x%02llx clear 0x%02llx\n", v, (unsigned long long)n->lo,
		    (unsigned long long)n->hi);
		break;
	default:
		break;
	}
}

static void node(const struct ftree *t, int i, int depth, FILE *fp)
{
	const struct fnode *n = &t->node[i];

	fprintf(fp, "%*s", 2 * depth, "");
	if (n->kind > FN_NOT) {
		leaf(t, n, fp);
		return;
	}
	fprintf(fp, "%s\n", inner_text[n->kind]);
	node(t, n->a, depth + 1, fp);
	if (n->kind != FN_NOT)
		node(t, n->b, depth + 1, fp);
}

int ftree_dump(const struct ftree *t, FILE *fp)
{
	const char *sep = "";

	node(t, t->root, 0, fp);
	fprintf(fp, "reads:");
	for (int f = 0; f < FF_COUNT; f++)
		if (t->needs & (1u << f)) {
			fprintf(fp, "%s%s", *sep ? sep : " ", flow_field_name((enum flow_field)f));
			sep = ",";
		}
	fprintf(fp, "%s\n", *sep ? "" : " nothing");
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}
