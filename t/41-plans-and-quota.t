# Plans: saved and dynamic code limits (free, pro), the limit under 20
# concurrent creates, the daily call quota (free) with its headers, and
# enterprise's headers (2147483647: unlimited, still a number).  Every part uses fresh accounts.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP ();
use POSIX qw(_exit);
use Time::HiRes ();
use Qre;

my $T = JSON::PP::true;

sub generate {
	my ($tok, %body) = @_;
	return api(POST => '/api/codes/generate', token => $tok, body => \%body);
}

sub account_id {
	my ($email) = @_;
	return mysql_value("SELECT id FROM accounts WHERE email = '$email'");
}

sub codes_in_db {
	my ($acct) = @_;
	return mysql_value("SELECT CONCAT(COUNT(*), '/', COALESCE(SUM(is_dynamic), 0)) "
	    . "FROM codes WHERE account_id = $acct");
}

sub next_midnight { (int($_[0] / 86400) + 1) * 86400 }

sub is_plan_limit {
	my ($r, $re, $what) = @_;
	is($r->{status}, 403, "$what: 403");
	is($r->{json}{success}, JSON::PP::false, "$what: success false");
	is($r->{json}{error}{code}, 'plan_limit_reached', "$what: plan_limit_reached");
	like($r->{json}{error}{message}, $re, "$what: message names plan and limit");
}

# ---- free: 2 dynamic, 5 saved (dynamic ones included) ----------------------
{
	my ($email, $tok) = new_account('free');
	my $acct = account_id($email);
	my @ids;
	for my $i (1, 2) {
		my $r = generate($tok, type => 'qr', isDynamic => $T,
		    data => "https://example.com/free/$i");
		is($r->{status}, 201, "free: dynamic $i of 2: 201");
		push @ids, $r->{json}{data}{id};
	}
	my $r = generate($tok, type => 'qr', isDynamic => $T,
	    data => 'https://example.com/free/3');
	is_plan_limit($r, qr/\bfree\b.*\b2\b.*dynamic/, 'free: third dynamic');
	is(codes_in_db($acct), '2/2', 'free: still 2 codes, 2 dynamic');
	for my $i (3 .. 5) {
		$r = generate($tok, type => 'qr', data => "static $i",
		    saveToLibrary => $T);
		is($r->{status}, 201, "free: saved code $i of 5: 201");
		push @ids, $r->{json}{data}{id};
	}
	$r = generate($tok, type => 'barcode', barcodeFormat => 'CODE128',
	    data => 'sixth', saveToLibrary => $T);
	is_plan_limit($r, qr/\bfree\b.*\b5\b.*saved/, 'free: sixth saved code');
	$r = generate($tok, type => 'qr', isDynamic => $T,
	    data => 'https://example.com/free/6');
	is_plan_limit($r, qr/\bfree\b/, 'free: dynamic when the library is full');
	is(codes_in_db($acct), '5/2', 'free: 5 codes, 2 dynamic');
	$r = generate($tok, type => 'qr', data => 'not saved');
	is($r->{status}, 200, 'free: unsaved generation still allowed at the limit');
	is($r->{json}{data}{id}, undef, 'free: unsaved has no id');
	is(api(GET => '/api/codes', token => $tok)->{json}{data}{total}, 5,
	    'free: list total 5');

	# Freeing a slot lets one more in, and only one.
	is(api(DELETE => "/api/codes/$ids[0]", token => $tok)->{status}, 200,
	    'free: delete a dynamic code');
	$r = generate($tok, type => 'qr', isDynamic => $T,
	    data => 'https://example.com/free/again');
	is($r->{status}, 201, 'free: a dynamic code fits again');
	$r = generate($tok, type => 'qr', data => 'one too many', saveToLibrary => $T);
	is_plan_limit($r, qr/\bfree\b.*\b5\b.*saved/, 'free: and then full again');
	is(codes_in_db($acct), '5/2', 'free: 5 codes, 2 dynamic at the end');
}

# ---- pro: 30 dynamic ---------------------------------------------------------
{
	my ($email, $tok) = new_account('pro');
	my $acct = account_id($email);
	my $ok = 0;
	for my $i (1 .. 30) {
		my $r = generate($tok, type => 'qr', isDynamic => $T,
		    data => "https://example.com/pro/$i");
		$ok++ if $r->{status} == 201;
	}
	is($ok, 30, 'pro: 30 dynamic codes created');
	my $r = generate($tok, type => 'qr', isDynamic => $T,
	    data => 'https://example.com/pro/31');
	is_plan_limit($r, qr/\bpro\b.*\b30\b.*dynamic/, 'pro: 31st dynamic');
	$r = generate($tok, type => 'qr', data => 'pro static', saveToLibrary => $T);
	is($r->{status}, 201, 'pro: a static saved code still fits (31 of 50)');
	is(codes_in_db($acct), '31/30', 'pro: 31 codes, 30 dynamic');
}

# ---- 20 concurrent creates on a fresh free account ----------------------------
{
	my ($email, $tok) = new_account('free');
	my $acct = account_id($email);
	my (@kids, %status);
	# A start line: every child waits for the pipe to close, then all go.
	pipe(my $gate_r, my $gate_w) or die "pipe: $!";
	for my $i (1 .. 20) {
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			close $gate_w;
			my $go = <$gate_r>;
			my $r = generate($tok, type => 'qr', data => "race $i",
			    saveToLibrary => $T);
			my $code = $r->{json} && $r->{json}{error}
			    ? $r->{json}{error}{code} // '' : '';
			_exit($r->{status} == 201 ? 0 :
			    $r->{status} == 403 && $code eq 'plan_limit_reached' ? 1 :
			    2);
		}
		push @kids, $pid;
	}
	close $gate_r;
	Time::HiRes::sleep(0.2);	# let them all reach the line
	close $gate_w;
	for my $pid (@kids) {
		waitpid($pid, 0);
		$status{ $? >> 8 }++;
	}
	is($status{0} // 0, 5, 'race: exactly 5 creates succeeded (201)');
	is($status{1} // 0, 15, 'race: the other 15 got 403 plan_limit_reached');
	is($status{2} // 0, 0, 'race: no other answer');
	is(mysql_value("SELECT COUNT(*) FROM codes WHERE account_id = $acct"), 5,
	    'race: 5 rows stored');
	my $r = api(GET => '/api/codes', token => $tok);
	is($r->{json}{data}{total}, 5, 'race: list total 5');
	is(scalar @{ $r->{json}{data}{codes} }, 5, 'race: 5 codes listed');
}

# ---- the daily quota on free: 100 calls, then 429 ----------------------------
{
	my ($email, $tok) = new_account('free');
	my ($email2, $tok2) = new_account('free');
	my $acct = account_id($email);
	my @bad;
	for my $i (1 .. 100) {
		# Every tenth call is refused (404, 422): those count too.
		my $r = $i % 10 == 0 ? api(GET => '/api/codes/nope', token => $tok)
		    : $i % 10 == 5 ? api(GET => '/api/codes?limit=0', token => $tok)
		    : api(GET => '/api/codes?limit=1', token => $tok);
		my $want = $i % 10 == 0 ? 404 : $i % 10 == 5 ? 422 : 200;
		my $h = $r->{headers};
		my $now = time;
		push @bad, "call $i: status $r->{status}" if $r->{status} != $want;
		push @bad, "call $i: limit " . ($h->{'x-ratelimit-limit'} // 'none')
		    unless ($h->{'x-ratelimit-limit'} // '') eq '100';
		push @bad, "call $i: remaining " . ($h->{'x-ratelimit-remaining'} // 'none')
		    unless ($h->{'x-ratelimit-remaining'} // '') eq 100 - $i;
		my $reset = $h->{'x-ratelimit-reset'} // '';
		push @bad, "call $i: reset $reset"
		    unless $reset =~ /^\d+$/ && ($reset == next_midnight($now) ||
		    $reset == next_midnight($now - 2));
		push @bad, "call $i: Retry-After on an allowed call"
		    if exists $h->{'retry-after'};
	}
	is_deeply(\@bad, [], 'calls 1..100 allowed (refused ones counted), '
	    . 'X-RateLimit-Limit 100, Remaining 99 down to 0, Reset at UTC midnight');
	my $before = time;
	my $r = api(GET => '/api/codes', token => $tok);
	my $after = time;
	is($r->{status}, 429, 'call 101: 429');
	is($r->{headers}{'content-type'}, 'application/json', 'call 101: JSON');
	is($r->{json}{success}, JSON::PP::false, 'call 101: success false');
	is($r->{json}{error}{code}, 'daily_quota_exceeded', 'call 101: daily_quota_exceeded');
	like($r->{json}{error}{message}, qr/\bfree\b.*\b100\b/, 'call 101: message names plan and limit');
	my $ra = $r->{headers}{'retry-after'} // '';
	like($ra, qr/^\d+$/, "call 101: Retry-After $ra");
	ok($ra =~ /^\d+$/ && $ra >= 0 && $ra <= 86400, 'Retry-After within 0..86400');
	ok($ra =~ /^\d+$/ && $ra >= next_midnight($after) - $after - 2 &&
	    $ra <= next_midnight($before) - $before + 2,
	    'Retry-After = seconds until UTC midnight');
	is($r->{headers}{'x-ratelimit-remaining'}, '0', 'call 101: X-RateLimit-Remaining 0');
	is($r->{headers}{'x-ratelimit-limit'}, '100', 'call 101: X-RateLimit-Limit 100');
	is($r->{headers}{'x-ratelimit-reset'}, next_midnight($before),
	    'call 101: X-RateLimit-Reset');
	$r = generate($tok, type => 'qr', data => 'after the quota');
	is($r->{status}, 429, 'call 102 (a generate): 429 too');
	is($r->{json}{error}{code}, 'daily_quota_exceeded', 'call 102: daily_quota_exceeded');
	is(mysql_value("SELECT calls FROM daily_usage WHERE account_id = $acct "
	    . "AND day = UTC_DATE()"), 102, 'daily_usage counts all 102 calls');
	$r = api(GET => '/api/codes', token => $tok2);
	is($r->{status}, 200, 'another free account is not affected');
	is($r->{headers}{'x-ratelimit-remaining'}, '99', 'its own count: 99 left');
}

# ---- headers on other plans -----------------------------------------------------
{
	my ($email, $tok) = new_account('enterprise');
	for my $c (['/api/codes', 200], ['/api/codes/nope', 404]) {
		my $now = time;
		my $r = api(GET => $c->[0], token => $tok);
		is($r->{status}, $c->[1], "enterprise GET $c->[0]: $c->[1]");
		is($r->{headers}{'x-ratelimit-limit'}, '2147483647',
		    "enterprise ($c->[1]): X-RateLimit-Limit, a number");
		is($r->{headers}{'x-ratelimit-remaining'}, '2147483647',
		    "enterprise ($c->[1]): X-RateLimit-Remaining, a number");
		is($r->{headers}{'x-ratelimit-reset'}, next_midnight($now),
		    "enterprise ($c->[1]): X-RateLimit-Reset at UTC midnight");
	}
	my $r = generate($tok, type => 'qr', data => 'enterprise', saveToLibrary => $T);
	is($r->{status}, 201, 'enterprise: generate 201');
	is($r->{headers}{'x-ratelimit-remaining'}, '2147483647', 'enterprise generate: unlimited as a number');

	my ($pe, $ptok) = new_account('pro');
	$r = api(GET => '/api/codes', token => $ptok);
	is($r->{headers}{'x-ratelimit-limit'}, '5000', 'pro: X-RateLimit-Limit 5000');
	is($r->{headers}{'x-ratelimit-remaining'}, '4999', 'pro: first call leaves 4999');
	# Unauthenticated answers carry no quota headers (nothing was counted).
	$r = api(GET => '/api/codes');
	is($r->{status}, 401, 'no token: 401');
	ok(!exists $r->{headers}{'x-ratelimit-limit'}, 'no token: no X-RateLimit headers');
}
done_testing();
