/* ptee's -p parser: logger's [facility.]level syntax, names and numbers. */
#include "tap.h"
#include "../../cmd/ptee/priority.h"

static int parse(const char *s)
{
	struct why why = { "" };
	int pri = -1;

	if (syslog_priority_parse(s, SYSLOG_FACILITY_LOCAL6, &pri, &why) < 0)
		return why.text[0] != '\0' ? -1 : -2;	/* -2: failed without a reason */
	return pri;
}

int main(void)
{
	/* PRI = facility * 8 + level (RFC 3164 4.1.1); local6 = 22, notice = 5 */
	IS_U(parse("local6.notice"), 181, "local6.notice is 181");
	IS_U(parse("LOCAL6.NOTICE"), 181, "names ignore case");
	IS_U(parse("user.info"), 14, "user.info is 14");
	IS_U(parse("daemon.err"), 27, "daemon.err");
	IS_U(parse("daemon.error"), 27, "error is err");
	IS_U(parse("auth.warn"), 36, "warn is warning");
	IS_U(parse("security.crit"), 34, "security is auth");
	IS_U(parse("local7.debug"), 191, "local7.debug is the largest named");
	IS_U(parse("mail.panic"), 16, "panic is emerg");
	IS_U(parse("info"), 182, "a bare level keeps the default facility local6");
	IS_U(parse("3"), 179, "a bare level number");
	IS_U(parse("22.5"), 181, "numbers are facility and level codes");
	IS_U(parse("23.7"), 191, "largest numbers");
	IS_U(parse("13.0"), 104, "facility numbers without a name are accepted");
	IS_U(parse("local6.007"), 183, "leading zeros");
	OK(parse("kern.info") == -1, "kern is refused: a process cannot log as the kernel");
	OK(parse("0.1") == -1, "facility 0 is kern");
	OK(parse("24.1") == -1, "facility 24 is out of range");
	OK(parse("local6.8") == -1, "level 8 is out of range");
	OK(parse("local8.info") == -1, "unknown facility name");
	OK(parse("local6.loud") == -1, "unknown level name");
	OK(parse("local6.") == -1, "empty level");
	OK(parse(".info") == -1, "empty facility");
	OK(parse("") == -1, "empty");
	OK(parse("local6.notice.x") == -1, "trailing text");
	OK(parse("5x") == -1, "a number with trailing text");
	OK(parse("-1") == -1, "negative");
	OK(parse("99999999999999999999") == -1, "huge number does not overflow");
	return tap_done();
}
