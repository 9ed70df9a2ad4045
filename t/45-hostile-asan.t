# The hostile corpus's most dangerous part (t/lib/Hostile.pm, the cases
# marked "asan": long and multi-byte names and URLs, invalid UTF-8, lone
# surrogates, NUL, nesting bombs, duplicate names, long ids, bodies longer
# or shorter than their CONTENT_LENGTH) sent over FastCGI straight to
# build-asan's qre-fcgi (AddressSanitizer + UndefinedBehaviorSanitizer),
# started privately against the stack's database.  Fails on any sanitizer
# report, on a worker that dies, or on an answer that is not the 4xx a
# hostile request deserves.  scripts/test builds build-asan/ and runs this;
# run by hand without build-asan/ it is skipped.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;
use Hostile qw(setup teardown cases verdict db_settle db_state db_diff send_fcgi describe);

my $asan = $ENV{QRE_ASAN_BUILD_DIR} // "$FindBin::Bin/../build-asan";
my $bin = "$asan/qre-fcgi";
if (!-x $bin) {
	# scripts/test always builds it: there, its absence is a failure.
	BAIL_OUT("$bin is missing although scripts/test builds it")
	    if $ENV{QRE_ASAN_BUILD_DIR};
	plan skip_all => "no sanitizer build: $bin is missing (scripts/test "
	    . 'builds build-asan/ with --enable-sanitizers --enable-debug)';
}
`nm -D $bin 2>/dev/null; nm $bin 2>/dev/null` =~ /__asan_init/
    or BAIL_OUT("$bin is not built with AddressSanitizer");

my $ctx = setup();
my @all = grep { $_->{asan} && !$_->{http_only} && !$_->{https} } cases($ctx);
my @run = ((grep { !$_->{known} && !$_->{todo} } @all),
    (grep { $_->{known} && !$_->{todo} } @all));
my @todo = grep { $_->{todo} } @all;
cmp_ok(scalar @run, '>=', 150, scalar(@run) . ' requests in the subset');

my $before = db_settle($ctx);
my $s = start_private_fcgi(bin => $bin, workers => 2, env => {
	ASAN_OPTIONS => 'detect_leaks=1:abort_on_error=1:halt_on_error=1',
	UBSAN_OPTIONS => 'print_stacktrace=1:halt_on_error=1',
});
my @workers = worker_pids($s->{pid});
is(scalar @workers, 2, "two sanitized workers (@workers)");

# A worker that closes the connection early (413) may leave a long body
# unread: the write fails, the answer is still there to read.
local $SIG{PIPE} = 'IGNORE';
for my $c (@run) {
	my $res = send_fcgi($c, $s->{socket});
	my $why = verdict($c, $res);
	ok(!defined $why, "$c->{group}: $c->{name}")
	    or diag("$why\n" . describe($c, $res));
}
is_deeply([worker_pids($s->{pid})], \@workers, 'the same workers serve: none died');
my @changed = db_diff($before, db_state($ctx));
is(scalar @changed, 0, 'every table unchanged (CHECKSUM TABLE)')
    or diag('changed: ' . join(', ', @changed));

TODO: {
	for my $c (@todo) {
		local $TODO = $c->{todo};
		my $why = verdict($c, send_fcgi($c, $s->{socket}));
		ok(!defined $why, "$c->{group}: $c->{name}") or diag($why);
	}
}

# Scans through the spool under the sanitizers: redirects of the
# corpus's dynamic code, kept by the sanitized workers' writer threads.
my $code_id = mysql_value("SELECT id FROM codes WHERE short_code = '$ctx->{D_short}'");
my $scans0 = mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $code_id");
my $redirects = grep {
	(FCGIClient::request($s->{socket}, uri => "/$ctx->{D_short}")->{status} // 0) == 302
} 1 .. 100;
is($redirects, 100, '100 redirects by the sanitized workers');

# Stopping makes the workers exit: LeakSanitizer reports then.
stop_private_fcgi($s);
is(mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $code_id") - $scans0, 100,
    '... their 100 scans stored by the time they stop');
is($s->{status}, 0, 'qre-fcgi stopped cleanly');
my $log = slurp($s->{log}) // '';
my @reports = $log =~ /^(.*(?:ERROR: \w+Sanitizer|runtime error:|SUMMARY: \w+Sanitizer).*)$/mg;
is(scalar @reports, 0, 'no AddressSanitizer, LeakSanitizer or UBSan report')
    or diag(substr($log, 0, 6000));
my @deaths = $log =~ /^(.*worker \d+ .*respawning.*)$/mg;
is(scalar @deaths, 0, 'no worker death in the log') or diag(join "\n", @deaths);
teardown($ctx);
is(mysql_value("SELECT COUNT(*) FROM accounts WHERE id IN ($ctx->{account}, "
    . "$ctx->{other_account})"), 0, 'the corpus\'s accounts are gone');
done_testing();
