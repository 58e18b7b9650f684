/* Decode results shared by the NetFlow v5, v9 and IPFIX decoders. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "netflow/nfcodec.h"

void nf_result_clear(struct nf_result *res)
{
	memset(res, 0, sizeof *res);
}

void nf_result_error(struct nf_result *res, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (res->errors++ > 0)
		return;
	res->err_at = at;
	va_start(ap, fmt);
	vsnprintf(res->err, sizeof res->err, fmt, ap);
	va_end(ap);
}
