# Keyset pagination and cheap deep pages, on the four listings: a code's
# scans and the codes of the v1 API, GET /api/codes, and a webhook's
# deliveries log.
#  - By cursor and by page number a listing gives the same rows in the
#    same order, none twice and none missing, ties in time broken by id;
#    by cursor also while rows are being added (newer ones stay out of
#    the walk, older ones come once, in their place).
#  - Page-number answers keep exactly the members they had; answers
#    asked by cursor ("cursor=" for the first page) carry nextCursor,
#    null on the last page.
#  - Garbage cursors, another listing's cursors and a cursor beside a
#    page number are 400s naming the parameter; another code's, account's
#    or webhook's cursor only positions the caller's own listing.
#  - EXPLAIN and ANALYZE (as root) of the very statements in src/: the
#    page by cursor seeks in the index and reads as many entries as the
#    page holds, whatever its depth; a deep page by number counts the
#    skipped rows in the index alone and reads only the page's rows
#    from the table.  Never timed: speed lives in bench/pages.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(sleep);
use Qre;
use Explain;

my $RUN = sprintf('%07d', ($$ * 7919 + time) % 10_000_000);	# unique strings
my @ACCOUNTS;

sub keys_of { [sort keys %{ $_[0] // {} }] }
sub sep { $_[0] =~ /\?/ ? "$_[0]&" : "$_[0]?" }

sub account {
	my ($email, $tok) = new_account('enterprise');
	push @ACCOUNTS, $email;
	my $id = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
	return ($tok, $id);
}

sub v1_code {
	my ($tok, $title) = @_;
	my $r = api(POST => '/api/v1/codes', token => $tok, body => { type => 'url',
	    title => $title, payload => { url => "https://example.com/$title" } });
	die "create $title: $r->{status}" unless $r->{status} == 201;
	my $c = $r->{json}{data};
	$c->{db} = mysql_value("SELECT id FROM codes WHERE public_id = '$c->{id}'");
	return $c;
}

# A cursor as the server makes one: base64url of kind, ms and id (big-endian).
sub cursor {
	my ($kind, $ms, $id) = @_;
	my $s = encode_base64(pack('a1 Q> Q>', $kind, $ms, $id), '');
	$s =~ tr{+/}{-_};
	$s =~ s/=+$//;
	return $s;
}

sub is_error {
	my ($r, $status, $code, $field, $what) = @_;
	is($r->{status}, $status, "$what: $status");
	is($r->{json}{error}{code}, $code, "$what: $code");
	like($r->{json}{error}{message} // '', qr/\Q$field\E/, "$what: message names $field");
	like($r->{headers}{'content-type'} // '', qr{^application/json}, "$what: JSON");
}

# How each listing is asked and answered.
my %V1 = (per => 'perPage', number => sub { "page=$_[0]" },
    items => sub { $_[0]{json}{data} }, next => sub { $_[0]{json}{pagination}{nextCursor} },
    meta => sub { $_[0]{json}{pagination} });
my %CODES = (per => 'limit', number => sub { 'offset=' . ($_[0] - 1) * $_[1] },
    items => sub { $_[0]{json}{data}{codes} }, next => sub { $_[0]{json}{data}{nextCursor} },
    meta => sub { $_[0]{json}{data} });

# Every page by number: the items' keys, in order.
sub walk_numbers {
	my ($l, $path, $tok, $per, $key) = @_;
	my @all;
	for (my $p = 1; $p < 10_000; $p++) {
		my $r = api(GET => sep($path) . $l->{number}->($p, $per) . "&$l->{per}=$per",
		    token => $tok);
		die "$path page $p: $r->{status} $r->{content}" unless $r->{status} == 200;
		my $items = $l->{items}->($r);
		push @all, map { $key->($_) } @$items;
		last if @$items < $per;
	}
	return \@all;
}

# Every page by cursor, from "cursor=": the items' keys, in order, and
# the answers; between(n) runs after the n-th page.
sub walk_cursor {
	my ($l, $path, $tok, $per, $key, $between) = @_;
	my (@all, @answers);
	my $cur = '';
	for (my $n = 1; $n < 10_000; $n++) {
		my $r = api(GET => sep($path) . "$l->{per}=$per&cursor=$cur", token => $tok);
		die "$path cursor page $n: $r->{status} $r->{content}" unless $r->{status} == 200;
		push @answers, $r;
		push @all, map { $key->($_) } @{ $l->{items}->($r) };
		$cur = $l->{next}->($r);
		last unless defined $cur;
		$between->($n) if $between;
	}
	return (\@all, \@answers);
}

sub no_repeats {
	my ($list) = @_;
	my %seen;
	return !grep { $seen{$_}++ } @$list;
}

sub column { my ($sql, $col) = @_; return [map { $_->{$col} } mysql_rows($sql)] }

# ==== a code's scans ============================================================
my ($ta, $acct_a) = account();
my ($tb, $acct_b) = account();
my $ca = v1_code($ta, "pages-a-$RUN");		# the code walked
my $ca2 = v1_code($ta, "pages-a2-$RUN");	# the same account's other code
my $cb = v1_code($tb, "pages-b-$RUN");		# another account's code

# 600 scans of A on 2024-03-01, four to a millisecond (ties broken by id);
# A2 and B have scans at the same times, which A's listing must not show.
sub add_scans {
	my ($code, $tag, $n, $start) = @_;
	mysql_do("INSERT INTO scans (code_id, scanned_at, device, referrer) SELECT $code, "
	    . "TIMESTAMP'$start' + INTERVAL (seq DIV 4) * 100000 MICROSECOND, "
	    . "ELT(1 + seq % 3, 'mobile', 'desktop', 'tablet'), "
	    . "CONCAT('https://$tag.example/', seq) FROM seq_1_to_$n");
}
add_scans($ca->{db}, 'a', 600, '2024-03-01 00:00:00');
add_scans($ca2->{db}, 'a2', 300, '2024-03-01 00:00:00');
add_scans($cb->{db}, 'b', 300, '2024-03-01 00:00:00');
# The listing's total comes from the 'all' rollups of whole days.
mysql_do("INSERT INTO scan_daily (code_id, day, dim, value, scans) SELECT code_id, "
    . "DATE(scanned_at), 'all', '', COUNT(*) FROM scans WHERE code_id IN ($ca->{db}, "
    . "$ca2->{db}, $cb->{db}) GROUP BY code_id, DATE(scanned_at)");

my $ORDER = 'ORDER BY scanned_at DESC, id DESC';
my $want_a = column("SELECT referrer FROM scans WHERE code_id = $ca->{db} $ORDER", 'referrer');
is(scalar @$want_a, 600, 'A has 600 scans');
my $sp = "/api/v1/codes/$ca->{id}/scans";
my $ref = sub { $_[0]{referrer} };

my $by_number = walk_numbers(\%V1, $sp, $ta, 7, $ref);
my ($by_cursor, $answers) = walk_cursor(\%V1, $sp, $ta, 7, $ref);
is_deeply($by_number, $want_a, 'scans by page number: every scan once, newest first, ties by id');
is_deeply($by_cursor, $want_a, 'scans by cursor: the same rows in the same order');
ok(no_repeats($by_cursor), 'by cursor: none twice');
is(scalar @$answers, 86, '600 scans, 7 a page: 86 pages by cursor');
is_deeply(keys_of($answers->[0]{json}{pagination}), [qw(nextCursor perPage total totalPages)],
    'by cursor: pagination has nextCursor, perPage, total, totalPages');
is_deeply([@{ $answers->[0]{json}{pagination} }{qw(perPage total totalPages)}], [7, 600, 86],
    'by cursor: perPage 7, total 600, 86 pages');
like($answers->[0]{json}{pagination}{nextCursor}, qr/^[A-Za-z0-9_-]{23}$/,
    'nextCursor: 23 base64url characters');
ok(exists $answers->[-1]{json}{pagination}{nextCursor}
    && !defined $answers->[-1]{json}{pagination}{nextCursor}, 'the last page: nextCursor null');
is(scalar @{ $answers->[-1]{json}{data} }, 600 % 7, 'the last page holds the rest (5)');
ok(!grep({ @{ $_->{json}{data} } != 7 } @$answers[0 .. $#$answers - 1]), 'every other page is full');
my $r = api(GET => "$sp?perPage=7&page=2", token => $ta);
is_deeply(keys_of($r->{json}{pagination}), [qw(page perPage total totalPages)],
    'by page number: pagination exactly as before (no nextCursor)');
# A cursor is the last row's key: the same one a client would get.
my ($k) = mysql_rows("SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', scanned_at) "
    . "DIV 1000 AS ms, id FROM scans WHERE code_id = $ca->{db} $ORDER LIMIT 1 OFFSET 6");
is($answers->[0]{json}{pagination}{nextCursor}, cursor('S', $k->{ms}, $k->{id}),
    "nextCursor: the key of the page's last row");

# Page sizes at the edges, and a page size that divides the total.
{
	my ($got) = walk_cursor(\%V1, $sp, $ta, 100, $ref);
	is_deeply($got, $want_a, 'perPage 100 by cursor: the same rows');
	($got) = walk_cursor(\%V1, "$sp?from=2024-03-01T00:00:14Z", $ta, 1, $ref);
	is_deeply($got, [@$want_a[0 .. 40]], 'perPage 1 by cursor, from 00:00:14: the newest 41');
}

# A time range that is not whole days (counted from the scans).
{
	my $p = "$sp?from=2024-03-01T00:00:05Z&to=2024-03-01T00:00:10Z";
	my $want = column("SELECT referrer FROM scans WHERE code_id = $ca->{db} AND scanned_at "
	    . ">= '2024-03-01 00:00:05' AND scanned_at < '2024-03-01 00:00:11' $ORDER", 'referrer');
	my ($got, $ans) = walk_cursor(\%V1, $p, $ta, 9, $ref);
	is_deeply($got, $want, 'from/to by cursor: the range\'s scans (' . scalar(@$want) . ')');
	is_deeply(walk_numbers(\%V1, $p, $ta, 9, $ref), $want, 'from/to by page number: the same');
	is($ans->[0]{json}{pagination}{total}, scalar @$want, 'from/to by cursor: total of the range');
}

# While scans are added: newer ones stay out of the walk, older ones
# (late writes) come once, at their place; real redirects too.
{
	my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0, max_redirect => 0);
	my $before = mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $ca->{db}");
	my ($got) = walk_cursor(\%V1, $sp, $ta, 50, $ref, sub {
		my ($n) = @_;
		return unless $n <= 3;
		add_scans($ca->{db}, "new$n", 20, '2024-03-02 00:00:00');	# newer
		add_scans($ca->{db}, "old$n", 10, "2024-02-0$n 00:00:00");	# older
		$http->get(env('QRE_HTTP_URL') . "/$ca->{shortCode}", { headers =>
		    { 'User-Agent' => 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0' } })
		    for 1 .. 3;
	});
	my $old = column("SELECT referrer FROM scans WHERE code_id = $ca->{db} AND referrer "
	    . "LIKE 'https://old%' $ORDER", 'referrer');
	is(scalar @$old, 30, '30 older scans added during the walk');
	is_deeply($got, [@$want_a, @$old], 'a walk by cursor while scans are added: the 600 '
	    . 'in order, then the 30 older ones, none of the newer ones, none twice');
	ok(wait_until(10, sub { mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = "
	    . "$ca->{db}") == $before + 60 + 30 + 9 }), 'and the 9 redirects\' scans were stored');
	my $all = column("SELECT referrer FROM scans WHERE code_id = $ca->{db} $ORDER", 'referrer');
	($got) = walk_cursor(\%V1, $sp, $ta, 41, $ref);
	is_deeply($got, $all, 'afterwards, by cursor: all ' . scalar(@$all) . ' scans');
	is_deeply(walk_numbers(\%V1, $sp, $ta, 41, $ref), $all, 'and by page number: the same');
}

# Another code's or account's cursor positions the caller's own listing only.
{
	my $deep = $answers->[40]{json}{pagination}{nextCursor};	# A, after 287 scans
	my ($rest_b) = walk_cursor(\%V1, "/api/v1/codes/$cb->{id}/scans", $tb, 100, $ref);
	$r = api(GET => "/api/v1/codes/$cb->{id}/scans?perPage=100&cursor=$deep", token => $tb);
	is($r->{status}, 200, "A's cursor on B's code, by B: 200");
	my @got = map { $_->{referrer} } @{ $r->{json}{data} };
	ok(@got && !grep({ !m{^https://b\.example/} } @got), "... only B's scans ("
	    . scalar(@got) . ')');
	my $k = $want_a->[286];
	my ($ka) = mysql_rows("SELECT scanned_at, id FROM scans WHERE code_id = $ca->{db} AND "
	    . "referrer = '$k'");
	my $want_b = column("SELECT referrer FROM scans WHERE code_id = $cb->{db} AND (scanned_at "
	    . "< '$ka->{scanned_at}' OR (scanned_at = '$ka->{scanned_at}' AND id < $ka->{id})) "
	    . "$ORDER LIMIT 100", 'referrer');
	is_deeply(\@got, $want_b, "... those older than the cursor's key");
	$r = api(GET => "/api/v1/codes/$ca2->{id}/scans?perPage=100&cursor=$deep", token => $ta);
	ok(!grep({ !m{^https://a2\.example/} } map { $_->{referrer} } @{ $r->{json}{data} }),
	    "A's cursor of one code on its other code: only that code's scans");
	$r = api(GET => "/api/v1/codes/$cb->{id}/scans?cursor=$deep", token => $ta);
	is($r->{status}, 404, "B's code asked by A with A's cursor: 404, as without");
}

# Garbage: 400 naming cursor, whatever the listing.
my $good = $answers->[0]{json}{pagination}{nextCursor};
my $last_char = substr($good, -1);
my $alphabet = join '', 'A' .. 'Z', 'a' .. 'z', '0' .. '9', '-', '_';
my $next_char = substr($alphabet, index($alphabet, $last_char) + 1, 1);
my %garbage = (
	'one letter' => 'x',
	'words' => 'nextpage',
	'22 characters' => substr($good, 0, 22),
	'24 characters' => $good . 'A',
	'with padding' => "$good=",
	'standard base64 +' => substr($good, 0, 10) . '+' . substr($good, 11),
	'standard base64 /' => substr($good, 0, 10) . '/' . substr($good, 11),
	'non-canonical last character' => substr($good, 0, 22) . $next_char,
	'a space inside' => substr($good, 0, 10) . '%20' . substr($good, 11),
	'a NUL' => substr($good, 0, 10) . '%00' . substr($good, 11),
	'4,000 characters' => 'A' x 4000,
	'a codes cursor' => cursor('C', $k->{ms}, $k->{id}),
	'an attempts cursor' => cursor('A', 0, $k->{id}),
	'lower-case kind' => cursor('s', $k->{ms}, $k->{id}),
	'time past 9999' => cursor('S', 253402300800000, 1),
	'negative time' => cursor('S', '9223372036854775808', 1),
	'id 0' => cursor('S', $k->{ms}, 0),
	'negative id' => cursor('S', $k->{ms}, '18446744073709551615'),
);
for my $what (sort keys %garbage) {
	is_error(api(GET => "$sp?cursor=$garbage{$what}", token => $ta), 400, 'invalid_field',
	    'cursor', "scans ?cursor= $what");
}
is_error(api(GET => "$sp?page=2&cursor=$good", token => $ta), 400, 'bad_request', 'cursor',
    'scans: cursor beside page');
is_error(api(GET => "$sp?page=1&cursor=", token => $ta), 400, 'bad_request', 'page',
    'scans: an empty cursor beside page');
$r = api(GET => "$sp?perPage=7&cursor=" . cursor('S', $k->{ms}, $k->{id}), token => $ta);
is($r->{status}, 200, 'a cursor made by hand from a key: 200');
is_deeply([map { $_->{referrer} } @{ $r->{json}{data} }], [@$want_a[7 .. 13]],
    '... the page after that key');
$r = api(GET => "$sp?perPage=7&cursor=" . cursor('S', 0, 1), token => $ta);
is_deeply([$r->{status}, $r->{json}{data}, $r->{json}{pagination}{nextCursor}], [200, [], undef],
    'a cursor at the beginning of time: an empty last page');
$r = api(GET => "$sp?perPage=3&cursor=" . cursor('S', 253402300799999, '9223372036854775807'), token => $ta);
is($r->{status}, 200, 'a cursor at the end of time: 200');
is_deeply([map { $_->{referrer} } @{ $r->{json}{data} }], column("SELECT referrer FROM scans "
    . "WHERE code_id = $ca->{db} $ORDER LIMIT 3", 'referrer'), '... the first page');

# ==== the codes of an account, on both surfaces ==================================
my ($tc, $acct_c) = account();
my @made;
for my $i (1 .. 14) {
	push @made, v1_code($tc, "pages-c$i-$RUN")->{id};
}
for my $i (1 .. 6) {
	$r = api(POST => '/api/codes/generate', token => $tc, body => { type => 'barcode',
	    barcodeFormat => 'CODE128', data => "PAGES-$i", saveToLibrary => JSON::PP::true,
	    name => "pages-bar$i" });
	die "barcode $i: $r->{status}" unless $r->{status} == 201;
	push @made, $r->{json}{data}{id};
}
# Ties: six codes made in the same millisecond, a QR code and a barcode among them.
mysql_do("UPDATE codes SET created_at = '2024-05-05 05:05:05.555' WHERE account_id = $acct_c "
    . "AND public_id IN ('" . join("', '", @made[2, 5, 7, 9, 15, 17]) . "')");
my $CORDER = 'ORDER BY created_at DESC, id DESC';
my $want_c = column("SELECT public_id FROM codes WHERE account_id = $acct_c $CORDER", 'public_id');
is(scalar @$want_c, 20, 'C has 20 codes');
my $cid = sub { $_[0]{id} };
is_deeply(walk_numbers(\%V1, '/api/v1/codes', $tc, 3, $cid), $want_c,
    'v1 codes by page number: newest first, ties by id');
my ($got_c, $ans_c) = walk_cursor(\%V1, '/api/v1/codes', $tc, 3, $cid);
is_deeply($got_c, $want_c, 'v1 codes by cursor: the same');
is(scalar @$ans_c, 7, '20 codes, 3 a page: 7 pages');
ok(!defined $ans_c->[-1]{json}{pagination}{nextCursor}, 'the last page: nextCursor null');
for my $type ('', 'qr', 'barcode') {
	my $p = "/api/codes?type=$type";
	my $want = $type eq '' ? $want_c : column("SELECT public_id FROM codes WHERE account_id = "
	    . "$acct_c AND kind = '$type' $CORDER", 'public_id');
	my $t = $type eq '' ? 'all' : $type;
	is_deeply(walk_numbers(\%CODES, $p, $tc, 4, $cid), $want, "codes API, $t, by offset");
	my ($got, $ans) = walk_cursor(\%CODES, $p, $tc, 4, $cid);
	is_deeply($got, $want, "codes API, $t, by cursor: the same (" . scalar(@$want) . ')');
	is_deeply(keys_of($ans->[0]{json}{data}), [qw(codes limit nextCursor total)],
	    "codes API, $t, by cursor: codes, total, limit, nextCursor (no offset)");
	is($ans->[0]{json}{data}{total}, scalar @$want, "codes API, $t, by cursor: total");
}
$r = api(GET => '/api/codes?limit=4&offset=4', token => $tc);
is_deeply(keys_of($r->{json}{data}), [qw(codes limit offset total)],
    'codes API by offset: the members as before (no nextCursor)');
# New codes during a walk are newer: they stay out of it.
{
	my ($got) = walk_cursor(\%V1, '/api/v1/codes', $tc, 6, $cid, sub {
		v1_code($tc, "pages-late$_[0]-$RUN") if $_[0] <= 2;
	});
	is_deeply($got, $want_c, 'v1 codes by cursor while codes are made: the 20, none twice');
}
# Another account's codes cursor: only the caller's codes.
{
	my $c_cur = $ans_c->[0]{json}{pagination}{nextCursor};
	$r = api(GET => "/api/v1/codes?perPage=100&cursor=$c_cur", token => $ta);
	is($r->{status}, 200, "C's codes cursor on A's listing: 200");
	my %mine = map { $_ => 1 } @{ column("SELECT public_id FROM codes WHERE account_id = "
	    . "$acct_a", 'public_id') };
	ok(!grep({ !$mine{$_->{id}} } @{ $r->{json}{data} }), "... only A's codes");
	$r = api(GET => "/api/codes?cursor=$c_cur", token => $ta);
	ok($r->{status} == 200 && !grep({ !$mine{$_->{id}} } @{ $r->{json}{data}{codes} }),
	    "... on the codes API too");
	is_error(api(GET => "$sp?cursor=$c_cur", token => $ta), 400, 'invalid_field', 'cursor',
	    'a codes cursor on a scans listing');
	is_error(api(GET => "/api/v1/codes?cursor=$good", token => $tc), 400, 'invalid_field',
	    'cursor', 'a scans cursor on the codes listing');
	is_error(api(GET => '/api/codes?cursor=x', token => $tc), 400, 'invalid_field', 'cursor',
	    'codes API: cursor=x');
	is_error(api(GET => "/api/codes?offset=0&cursor=$c_cur", token => $tc), 400,
	    'bad_request', 'offset', 'codes API: cursor beside offset');
	is_error(api(GET => "/api/v1/codes?page=1&cursor=$c_cur", token => $tc), 400,
	    'bad_request', 'page', 'v1 codes: cursor beside page');
}

# ==== a webhook's deliveries log ==================================================
my ($td, $acct_d) = account();
my ($te, $acct_e) = account();
sub webhook {
	my ($tok) = @_;
	my $r = api(POST => '/api/v1/webhooks', token => $tok, body => {
	    url => 'http://127.0.0.1:9/pages', events => ['code.deleted'] });
	die "webhook: $r->{status} $r->{content}" unless $r->{status} == 201;
	my $w = $r->{json}{data};
	# Kept off: the attempts below are made up, nothing is to be sent.
	$r = api(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok, body => { active => JSON::PP::false });
	die "webhook off: $r->{status}" unless $r->{status} == 200;
	$w->{db} = mysql_value("SELECT id FROM webhooks WHERE public_id = '$w->{id}'");
	return $w;
}
my $wd = webhook($td);
my $we = webhook($te);
# 30 deliveries each; 260 attempts, odd ones D's and even ones E's,
# spread over the deliveries out of their order (as retries are).
for my $w ([$wd, 'd'], [$we, 'e']) {
	mysql_do("INSERT INTO deliveries (public_id, webhook_id, event, body, status, "
	    . "next_attempt_at, created_at, updated_at) SELECT CONCAT('$w->[1]', '$RUN', "
	    . "LPAD(seq, 8, '0')), $w->[0]{db}, 'code.deleted', '{}', 'failed', "
	    . "UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM seq_1_to_30");
}
mysql_do("INSERT INTO delivery_attempts (delivery_id, webhook_id, attempted_at, response_code, "
    . "error, duration_ms) SELECT d.id, d.webhook_id, UTC_TIMESTAMP(3), 500, 'HTTP 500', s.seq "
    . "FROM seq_1_to_260 s JOIN deliveries d ON d.public_id = CONCAT(IF(s.seq % 2, 'd', 'e'), "
    . "'$RUN', LPAD(1 + (s.seq * 7) % 30, 8, '0')) ORDER BY s.seq");
my $dp = "/api/v1/webhooks/$wd->{id}/deliveries";
my $want_d = column("SELECT a.duration_ms FROM delivery_attempts a JOIN deliveries d ON "
    . "d.id = a.delivery_id WHERE d.webhook_id = $wd->{db} ORDER BY a.id DESC", 'duration_ms');
is(scalar @$want_d, 130, 'D has 130 attempts');
my $dur = sub { $_[0]{durationMs} };
is_deeply(walk_numbers(\%V1, $dp, $td, 9, $dur), $want_d, 'deliveries by page number: newest first');
my ($got_d, $ans_d) = walk_cursor(\%V1, $dp, $td, 9, $dur);
is_deeply($got_d, $want_d, 'deliveries by cursor: the same');
ok(!defined $ans_d->[-1]{json}{pagination}{nextCursor}, 'the last page: nextCursor null');
is_deeply(keys_of($ans_d->[0]{json}{pagination}), [qw(nextCursor perPage total totalPages)],
    'deliveries by cursor: pagination with nextCursor');
$r = api(GET => "$dp?page=1", token => $td);
is_deeply(keys_of($r->{json}{pagination}), [qw(page perPage total totalPages)],
    'deliveries by page number: pagination as before');
{
	my $d_cur = $ans_d->[3]{json}{pagination}{nextCursor};
	$r = api(GET => "/api/v1/webhooks/$we->{id}/deliveries?perPage=100&cursor=$d_cur", token => $te);
	my @got = map { $_->{durationMs} } @{ $r->{json}{data} };
	ok($r->{status} == 200 && @got && !grep({ $_ % 2 } @got),
	    "D's cursor on E's deliveries: only E's attempts (" . scalar(@got) . ')');
	my $after = $want_d->[35];
	is_deeply(\@got, [grep { $_ < $after } reverse grep { $_ % 2 == 0 } 1 .. 260],
	    '... those older than the cursor\'s attempt');
	is_error(api(GET => "$dp?cursor=$good", token => $td), 400, 'invalid_field', 'cursor',
	    'a scans cursor on the deliveries log');
	is_error(api(GET => "$dp?cursor=" . cursor('A', 1, 5), token => $td), 400, 'invalid_field',
	    'cursor', 'an attempts cursor with a time');
	is_error(api(GET => "$dp?page=3&cursor=$d_cur", token => $td), 400, 'bad_request', 'page',
	    'deliveries: cursor beside page');
}

# ==== the statements' plans, on enough rows for MariaDB to choose as in use ==========
my ($tv, $acct_v) = account();
my $cv = v1_code($tv, "pages-volume-$RUN");
mysql_do("INSERT INTO scans (code_id, scanned_at, device) SELECT $cv->{db}, TIMESTAMP'2024-01-01 "
    . "00:00:00' + INTERVAL seq SECOND, 'mobile' FROM seq_1_to_30000");
mysql_do("INSERT INTO codes (public_id, account_id, kind, data, created_at, updated_at) SELECT "
    . "CONCAT('v', '$RUN', LPAD(seq, 8, '0')), $acct_v, IF(seq % 3, 'qr', 'barcode'), 'x', "
    . "TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, UTC_TIMESTAMP(3) FROM seq_1_to_3000");
my $wv = webhook($tv);
mysql_do("INSERT INTO deliveries (public_id, webhook_id, event, body, status, next_attempt_at, "
    . "created_at, updated_at) SELECT CONCAT('v', '$RUN', LPAD(seq, 8, '0')), $wv->{db}, "
    . "'code.deleted', '{}', 'failed', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) "
    . "FROM seq_1_to_3000");
mysql_do("INSERT INTO delivery_attempts (delivery_id, webhook_id, attempted_at, duration_ms) "
    . "SELECT d.id, d.webhook_id, UTC_TIMESTAMP(3), s.seq FROM deliveries d JOIN seq_1_to_3 s "
    . "WHERE d.webhook_id = $wv->{db}");
mysql_do('ANALYZE TABLE scans, codes, deliveries, delivery_attempts');

my %src = map { $_ => 1 } c_strings('store_scans.c'), c_strings('store_codes.c'),
    c_strings('store_webhooks.c');
sub in_source { my ($sql, $what) = @_; ok($src{$sql}, "$what: the statement is in src/") or diag($sql) }

# The EXPLAIN row of table T (of select type ST when given).
sub plan_row {
	my ($rows, $t, $st) = @_;
	my ($row) = grep { ($_->{table} // '') eq $t && (!$st || $_->{select_type} eq $st) } @$rows;
	return $row // {};
}

# A page by cursor: one range on KEY (at least KEY_LEN bytes of it), in
# its order, and ANALYZE reads as many entries as the page holds.
sub seeks {
	my ($what, $sql, $table, $key, $key_len, $page) = @_;
	my @rows = explain_rows($sql);
	my $row = plan_row(\@rows, $table);
	is_deeply([@$row{qw(key type)}], [$key, 'range'], "$what: a range of $key")
	    or diag(explain_text(@rows));
	ok(($row->{key_len} // 0) >= $key_len, "$what: on every part of the key (key_len "
	    . ($row->{key_len} // 'NULL') . " >= $key_len)");
	unlike($row->{Extra} // '', qr/filesort/, "$what: in the key's order (no filesort)");
	my ($t) = grep { ($_->{key} // '') eq $key } @{ table_stats(analyze_json($sql))->{$table} };
	is($t->{r_rows}, $page, "$what: $page index entries read");
}

# A page by number: the skipped rows counted on KEY alone, the page's
# rows read by primary key.
sub defers {
	my ($what, $sql, $table, $key, $outer, $skip, $page) = @_;
	my @rows = explain_rows($sql);
	my $row = plan_row(\@rows, $table, 'DERIVED');
	is($row->{key}, $key, "$what: the ids from $key") or diag(explain_text(@rows));
	like($row->{Extra} // '', qr/Using index/, "$what: from the index alone");
	unlike($row->{Extra} // '', qr/filesort/, "$what: in its order (no filesort)");
	is_deeply([@{ plan_row(\@rows, $outer, 'PRIMARY') }{qw(type key)}], ['eq_ref', 'PRIMARY'],
	    "$what: the rows by primary key");
	my $t = table_stats(analyze_json($sql));
	my ($inner) = grep { ($_->{key} // '') eq $key } @{ $t->{$table} };
	my ($rows) = grep { ($_->{access_type} // '') eq 'eq_ref' && $_->{key} eq 'PRIMARY' }
	    @{ $t->{$outer} };
	is($inner->{r_rows}, $skip + $page, "$what: " . ($skip + $page) . ' index entries counted');
	is($rows->{r_loops}, $page, "$what: only the page's $page rows read whole");
}

my $SCOLS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', s.scanned_at) DIV 1000, "
    . 's.country, s.city, s.device, s.os, s.browser, s.referrer, s.is_bot';
my $FIRST_COLS = "id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', scanned_at) DIV 1000, "
    . 'country, city, device, os, browser, referrer, is_bot';
my %SQL = (
	first => "SELECT $FIRST_COLS FROM scans WHERE code_id = ? AND scanned_at >= ? AND "
	    . 'scanned_at < ? ORDER BY scanned_at DESC, id DESC LIMIT ?',
	after => "SELECT $FIRST_COLS FROM scans FORCE INDEX (scans_code_time) WHERE code_id = ? "
	    . 'AND scanned_at >= ? AND scanned_at < ? AND (scanned_at < ? OR (scanned_at = ? AND '
	    . 'id < ?)) ORDER BY scanned_at DESC, id DESC LIMIT ?',
	deep => "SELECT s.id, $SCOLS FROM scans s JOIN (SELECT id FROM scans FORCE INDEX "
	    . '(scans_code_time) WHERE code_id = ? AND scanned_at >= ? AND scanned_at < ? ORDER BY '
	    . 'scanned_at DESC, id DESC LIMIT ? OFFSET ?) k USING (id) ORDER BY s.scanned_at DESC, '
	    . 's.id DESC',
);
my $RANGE = ["'1970-01-01 00:00:00.000'", "'9999-12-31 23:59:59.999'"];
in_source($SQL{$_}, "scans, $_") for sort keys %SQL;
{
	my @rows = explain_rows(bind_sql($SQL{first}, $cv->{db}, @$RANGE, 21));
	my $row = plan_row(\@rows, 'scans');
	is($row->{key}, 'scans_code_time', 'scans, first page: key scans_code_time')
	    or diag(explain_text(@rows));
	unlike($row->{Extra} // '', qr/filesort/, 'scans, first page: no filesort');
	for my $depth (100, 15000, 29800) {
		my ($k) = mysql_rows("SELECT scanned_at, id FROM scans WHERE code_id = $cv->{db} "
		    . "$ORDER LIMIT 1 OFFSET " . ($depth - 1));
		seeks("scans by cursor, $depth deep", bind_sql($SQL{after}, $cv->{db}, @$RANGE,
		    q_str($k->{scanned_at}), q_str($k->{scanned_at}), $k->{id}, 101), 'scans',
		    'scans_code_time', 23, 101);
	}
	defers('scans page by number, 20,000 deep', bind_sql($SQL{deep}, $cv->{db}, @$RANGE, 101,
	    20000), 'scans', 'scans_code_time', 's', 20000, 101);
}

my $COLS = 'id, account_id, public_id, name, kind, barcode_format, image_format, data, '
    . 'is_dynamic, short_code, target_type, target, is_active, color, background, '
    . 'size, ecc, margin, scans, created_at, updated_at';
my %CSQL = (
	all_after => "SELECT $COLS FROM codes FORCE INDEX (codes_account_created) WHERE account_id "
	    . '= ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id '
	    . 'DESC LIMIT ?',
	all_deep => "SELECT $COLS FROM codes JOIN (SELECT id FROM codes FORCE INDEX "
	    . '(codes_account_created) WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT ? '
	    . 'OFFSET ?) k USING (id) ORDER BY created_at DESC, id DESC',
	kind_after => "SELECT $COLS FROM codes FORCE INDEX (codes_account_kind) WHERE account_id = ? "
	    . 'AND kind = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at '
	    . 'DESC, id DESC LIMIT ?',
	kind_deep => "SELECT $COLS FROM codes JOIN (SELECT id FROM codes FORCE INDEX "
	    . '(codes_account_kind) WHERE account_id = ? AND kind = ? ORDER BY created_at DESC, id '
	    . 'DESC LIMIT ? OFFSET ?) k USING (id) ORDER BY created_at DESC, id DESC',
);
in_source($CSQL{$_}, "codes, $_") for sort keys %CSQL;
{
	my ($kc) = mysql_rows("SELECT created_at, id FROM codes WHERE account_id = $acct_v "
	    . "$CORDER LIMIT 1 OFFSET 1999");
	my ($kq) = mysql_rows("SELECT created_at, id FROM codes WHERE account_id = $acct_v AND "
	    . "kind = 'qr' $CORDER LIMIT 1 OFFSET 1499");
	seeks('codes by cursor, 2,000 deep', bind_sql($CSQL{all_after}, $acct_v,
	    q_str($kc->{created_at}), q_str($kc->{created_at}), $kc->{id}, 21), 'codes',
	    'codes_account_created', 23, 21);
	seeks('QR codes by cursor, 1,500 deep', bind_sql($CSQL{kind_after}, $acct_v, "'qr'",
	    q_str($kq->{created_at}), q_str($kq->{created_at}), $kq->{id}, 21), 'codes',
	    'codes_account_kind', 24, 21);
	defers('codes page by number, 2,000 deep', bind_sql($CSQL{all_deep}, $acct_v, 21, 2000),
	    'codes', 'codes_account_created', 'codes', 2000, 21);
	defers('QR codes page by number, 1,500 deep', bind_sql($CSQL{kind_deep}, $acct_v, "'qr'",
	    21, 1500), 'codes', 'codes_account_kind', 'codes', 1500, 21);
}

my $ACOLS = 'a.id, d.public_id, d.event, d.status, d.items, d.attempts, a.attempted_at, '
    . "COALESCE(a.response_code, -1), COALESCE(a.error, ''), a.duration_ms";
my %ASQL = (
	first => "SELECT $ACOLS FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
	    . 'WHERE a.webhook_id = ? ORDER BY a.id DESC LIMIT ?',
	after => "SELECT $ACOLS FROM delivery_attempts a FORCE INDEX (attempts_webhook) JOIN "
	    . 'deliveries d ON d.id = a.delivery_id WHERE a.webhook_id = ? AND a.id < ? ORDER BY '
	    . 'a.id DESC LIMIT ?',
	deep => "SELECT $ACOLS FROM delivery_attempts a JOIN (SELECT id FROM delivery_attempts "
	    . 'FORCE INDEX (attempts_webhook) WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?) '
	    . 'k USING (id) JOIN deliveries d ON d.id = a.delivery_id ORDER BY a.id DESC',
	count => 'SELECT COUNT(*) FROM delivery_attempts WHERE webhook_id = ?',
);
in_source($ASQL{$_}, "deliveries, $_") for sort keys %ASQL;
{
	my @rows = explain_rows(bind_sql($ASQL{first}, $wv->{db}, 21));
	my $row = plan_row(\@rows, 'a');
	is($row->{key}, 'attempts_webhook', 'deliveries, first page: the attempts by '
	    . 'attempts_webhook') or diag(explain_text(@rows));
	unlike(join(' ', map { $_->{Extra} // '' } @rows), qr/filesort|temporary/,
	    'deliveries, first page: no sort, no temporary table');
	is(plan_row(\@rows, 'd')->{type}, 'eq_ref', 'deliveries, first page: each delivery by id');
	for my $depth (100, 5000, 8900) {
		my $k = mysql_value("SELECT id FROM delivery_attempts WHERE webhook_id = $wv->{db} "
		    . 'ORDER BY id DESC LIMIT 1 OFFSET ' . ($depth - 1));
		seeks("deliveries by cursor, $depth deep", bind_sql($ASQL{after}, $wv->{db}, $k, 21),
		    'a', 'attempts_webhook', 16, 21);
	}
	defers('deliveries page by number, 6,000 deep', bind_sql($ASQL{deep}, $wv->{db}, 21, 6000),
	    'delivery_attempts', 'attempts_webhook', 'a', 6000, 21);
	@rows = explain_rows(bind_sql($ASQL{count}, $wv->{db}));
	like(plan_row(\@rows, 'delivery_attempts')->{Extra} // '', qr/Using index/,
	    'deliveries, the total: counted in attempts_webhook alone');
}

# The sender writes each attempt's endpoint (the log's key) with it.
{
	my ($tok) = account();
	my $r = api(POST => '/api/v1/webhooks', token => $tok, body => {
	    url => 'http://127.0.0.1:9/pages-ping', events => ['code.deleted'] });
	my $w = $r->{json}{data};
	$r = api(POST => "/api/v1/webhooks/$w->{id}/test", token => $tok);
	ok($r->{status} == 200 || $r->{status} == 202, "a test ping queued ($r->{status})");
	my $wid = mysql_value("SELECT id FROM webhooks WHERE public_id = '$w->{id}'");
	ok(wait_until(20, sub { mysql_value("SELECT COUNT(*) FROM delivery_attempts a JOIN "
	    . "deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = $wid") > 0 }),
	    'the sender tried it (port 9 refuses)');
	is(mysql_value("SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = "
	    . "a.delivery_id WHERE d.webhook_id = $wid AND a.webhook_id = $wid"), 1,
	    'its attempt carries the endpoint');
	$r = api(GET => "/api/v1/webhooks/$w->{id}/deliveries?cursor=", token => $tok);
	is(scalar @{ $r->{json}{data} // [] }, 1, 'and is in the endpoint\'s log');
}

# ---- the end: our accounts go, with their codes, scans and webhooks ---------------------
mysql_do("DELETE FROM accounts WHERE email IN ('" . join("', '", @ACCOUNTS) . "')");
done_testing();
