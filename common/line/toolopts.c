/* The options every tool shares (see toolopts.h). */
#include "base/diag.h"
#include "base/stdfds.h"
#include "base/version.h"
#include "line/toolopts.h"

int tool_start(const char *prog)
{
	diag_init(prog);
	if (stdfds_hold() < 0) {
		diag_warn_errno("cannot hold the standard descriptors");
		return -1;
	}
	return 0;
}

int toolopt_take(const struct toolopts *t, int c, const char *arg)
{
	struct why w;

	switch (c) {
	case 'h':
		t->usage(stdout);
		return 1;
	case TOOLOPT_VERSION:
		printf("%s flowpipes " FLOWPIPES_VERSION "\n", diag_prog());
		return 1;
	case TOOLOPT_STRICT:
		if (t->strict == NULL)
			break;
		*t->strict = true;
		return 0;
	case 'r':
		if (t->path == NULL)
			break;
		*t->path = arg;
		return 0;
	case 'H':
		if (t->header == NULL)
			break;
		*t->header = false;
		return 0;
	case 'o':
		if (t->fields == NULL)
			break;
		if (flow_fieldset_parse(arg, t->fields, &w) < 0) {
			diag_warn("-o: %s", w.text);
			return 2;
		}
		if (t->fields_set != NULL)
			*t->fields_set = true;
		return 0;
	default:
		break;
	}
	/* getopt's '?' (already reported), or an option this tool does not take */
	t->usage(stderr);
	return 2;
}

int toolopt_no_operands(const struct toolopts *t, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	diag_warn("unexpected argument: %s", argv[optind]);
	t->usage(stderr);
	return 2;
}
