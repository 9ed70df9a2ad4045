# The statements behind the redirect, the scans listing and the stats use
# their indexes: EXPLAIN (as root, on the stack's MariaDB) of the very SQL
# text in src/store_scans.c and src/store_codes.c, with literals in place
# of the placeholders.  Each statement is first checked to still be in
# the source, so that a changed query cannot leave this test behind.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use POSIX qw(strftime);
use Qre;

my $SRC = "$FindBin::Bin/../src";
my $TODAY = strftime('%Y-%m-%d', gmtime);

# ---- helpers -------------------------------------------------------------

# Every string constant of a C file (adjacent literals joined, the
# CODE_COLUMNS macro expanded).
sub c_strings {
	my ($file) = @_;
	my $c = slurp("$SRC/$file") // die "$SRC/$file: $!";
	$c =~ s{/\*.*?\*/}{}gs;
	my $lit = qr/"(?:[^"\\]|\\.)*"/;
	if ($c =~ /#define\s+CODE_COLUMNS\s+((?:$lit\s*\\?\s*)+)/) {
		my $def = join '', $1 =~ /"((?:[^"\\]|\\.)*)"/g;
		$c =~ s/(?<!define )\bCODE_COLUMNS\b/"$def"/g;
	}
	my @s;
	while ($c =~ /=\s*((?:$lit\s*)+)[;,]/g) {
		push @s, join '', $1 =~ /"((?:[^"\\]|\\.)*)"/g;
	}
	return @s;
}

my %in_source = map { $_ => 1 } c_strings('store_scans.c'), c_strings('store_codes.c');

sub q_str { my ($v) = @_; $v =~ s/'/''/g; return "'$v'" }

# The statement with each ? replaced by the next literal.
sub bind_sql {
	my ($sql, @lit) = @_;
	my $n = () = $sql =~ /\?/g;
	die "$n placeholders, " . scalar(@lit) . " literals: $sql" if $n != @lit;
	$sql =~ s/\?/shift @lit/ge;
	return $sql;
}

# EXPLAIN rows: a list of { column => value }.
sub explain_rows {
	my ($sql) = @_;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S', env('QRE_MYSQL_SOCKET'),
	    '-u', env('QRE_MYSQL_USER') // 'root', '-B', 'qre', '-e', "EXPLAIN $sql") or die "mariadb: $!";
	my @lines = <$fh>;
	close $fh;
	chomp @lines;
	my @head = split /\t/, shift(@lines) // '';
	return map { my %r; @r{@head} = split /\t/, $_, -1; \%r } @lines;
}

# explain_ok(WHAT, SQL TEMPLATE, [LITERALS], KEY, %more): the statement is
# still in the source, and MariaDB reads it through KEY, never a full scan.
sub explain_ok {
	my ($what, $tmpl, $lit, $key, %o) = @_;
	ok($in_source{$tmpl}, "$what: the statement is still in the source")
	    or diag($tmpl);
	my @rows = explain_rows(bind_sql($tmpl, @$lit));
	my ($row) = grep { ($_->{table} // '') eq $o{table} } @rows;
	ok($row, "$what: EXPLAIN names table $o{table}") or diag(explain_text(@rows));
	$row //= {};
	is($row->{key}, $key, "$what: key $key") or diag(explain_text(@rows));
	isnt($row->{type} // 'ALL', 'ALL', "$what: not a full scan (type "
	    . ($row->{type} // 'NULL') . ')');
	ok(($row->{key_len} // 0) >= $o{key_len}, "$what: key_len $row->{key_len} >= $o{key_len}")
	    if $o{key_len};
	unlike($row->{Extra} // '', qr/filesort/, "$what: no filesort")
	    if $o{no_filesort};
	like($row->{Extra} // '', $o{extra}, "$what: Extra $o{extra}") if $o{extra};
	return $row;
}

sub explain_text {
	return join "\n", map { my $r = $_; join ' | ', map { "$_=" . ($r->{$_} // 'NULL') }
	    sort keys %$r } @_;
}

# ---- data of our own: a dynamic code with some scans ----------------------------
my ($email, $tok) = new_account('enterprise');
my $acct = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
my $r = api(POST => '/api/v1/codes', token => $tok, body => { type => 'url',
    payload => { url => 'https://example.com/indexed' } });
is($r->{status}, 201, 'a dynamic code');
my $code = $r->{json}{data};
my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0, max_redirect => 0);
$http->get(env('QRE_HTTP_URL') . "/$code->{shortCode}", { headers => {
    'User-Agent' => "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/$_.0" } })
    for 1 .. 5;
ok(wait_until(5, sub { (mysql_value("SELECT scans FROM codes WHERE public_id = "
    . "'$code->{id}'") // 0) == 5 }), 'its 5 scans stored');
my $id = mysql_value("SELECT id FROM codes WHERE public_id = '$code->{id}'");

# And the busiest codes already in the database, if any (a benchmark's).
my @ids = ($id);
for my $sql ("SELECT code_id FROM scans GROUP BY code_id ORDER BY COUNT(*) DESC LIMIT 1",
    "SELECT code_id FROM scan_daily GROUP BY code_id ORDER BY COUNT(*) DESC LIMIT 1") {
	my $big = mysql_value($sql);
	push @ids, $big if defined $big && !grep { $_ == $big } @ids;
}
diag('codes examined: ' . join(', ', map { "$_ (" . mysql_value("SELECT COUNT(*) "
    . "FROM scans WHERE code_id = $_") . ' scans)' } @ids));

# ---- the statements, as the code sends them -----------------------------------------
my $SUMS = "SELECT dim, value, '', SUM(scans) FROM scan_daily WHERE code_id = ? AND "
    . "dim IN ('total', 'unique', 'country', 'device', 'os', 'browser', 'referrer') AND "
    . "day BETWEEN ? AND ? GROUP BY dim, value ORDER BY dim, SUM(scans) DESC, value";
my $DAYS = "SELECT dim, '', day, scans FROM scan_daily WHERE code_id = ? AND dim IN "
    . "('total', 'unique') AND day BETWEEN ? AND ? ORDER BY day, dim";
my $LIST = "SELECT id, TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', scanned_at) DIV "
    . "1000, country, city, device, os, browser, referrer, is_bot FROM scans WHERE "
    . "code_id = ? AND scanned_at >= ? AND scanned_at < ? ORDER BY scanned_at DESC, "
    . "id DESC LIMIT ?";
my $COUNT = "SELECT COUNT(*) FROM scans WHERE code_id = ? AND scanned_at >= ? AND "
    . "scanned_at < ?";
my $COLS = 'id, account_id, public_id, name, kind, barcode_format, image_format, data, '
    . 'is_dynamic, short_code, target_type, target, is_active, color, background, '
    . 'size, ecc, margin, scans, created_at, updated_at';
my $BY_SHORT = "SELECT $COLS FROM codes WHERE short_code = ? AND is_dynamic = 1";
my $BY_ID = "SELECT $COLS FROM codes WHERE public_id = ? AND account_id = ?";
my $CODE_LIST = "SELECT $COLS FROM codes WHERE account_id = ? ORDER BY created_at DESC, "
    . "id DESC LIMIT ? OFFSET ?";
my $BUMP = 'UPDATE codes SET scans = scans + ? WHERE id = ?';
my $SALT = 'SELECT salt FROM visitor_salts WHERE day = UTC_DATE()';

for my $cid (@ids) {
	my $t = "code $cid";
	# Stats: the sums over the range, and the per-day totals.
	for my $range (['a week', strftime('%Y-%m-%d', gmtime(time - 6 * 86400)), $TODAY],
	    ['everything', '1970-01-01', '9999-12-31']) {
		my ($rw, $from, $to) = @$range;
		explain_ok("$t, stats sums over $rw", $SUMS, [$cid, q_str($from), q_str($to)],
		    'PRIMARY', table => 'scan_daily');
		explain_ok("$t, per-day totals over $rw", $DAYS, [$cid, q_str($from), q_str($to)],
		    'PRIMARY', table => 'scan_daily', key_len => 12);
	}
	# The scans listing: newest first straight from the index, no sort.
	for my $range (['everything', '1970-01-01 00:00:00.000', '9999-12-31 23:59:59.000'],
	    ['today', "$TODAY 00:00:00.000", "$TODAY 23:59:59.999"]) {
		my ($rw, $from, $to) = @$range;
		explain_ok("$t, scans listing of $rw", $LIST,
		    [$cid, q_str($from), q_str($to), 20], 'scans_code_time',
		    table => 'scans', no_filesort => 1);
		explain_ok("$t, scans count of $rw", $COUNT, [$cid, q_str($from), q_str($to)],
		    'scans_code_time', table => 'scans', extra => qr/Using index/);
	}
	explain_ok("$t, codes.scans bump", $BUMP, [3, $cid], 'PRIMARY', table => 'codes');
}

# A week's sums should not read the code's whole history: the day range
# belongs in the key range, which needs dim bounded too (code_id, dim, day).
{
	for my $cid (@ids) {
		my ($row) = explain_rows(bind_sql($SUMS, $cid,
		    q_str(strftime('%Y-%m-%d', gmtime(time - 6 * 86400))), q_str($TODAY)));
		ok(($row->{key_len} // 0) >= 12, "code $cid: a week's sums use the day "
		    . "range of the key (key_len " . ($row->{key_len} // 'NULL') . ')');
	}
}

# The redirect's lookup, found and not found.
my $row = explain_ok('redirect lookup of a short code', $BY_SHORT,
    [q_str($code->{shortCode})], 'codes_short_code', table => 'codes');
is($row->{type}, 'const', 'a unique key: const');
my @none = explain_rows(bind_sql($BY_SHORT, q_str('zzzzzzz')));
like($none[0]{Extra} // '', qr/Impossible WHERE noticed after reading const tables/,
    'an unknown short code is settled by one probe of the unique key');

# The other per-request lookups on the same table.
explain_ok('code by public id', $BY_ID, [q_str($code->{id}), $acct], 'codes_public_id',
    table => 'codes');
explain_ok("an account's code list", $CODE_LIST, [$acct, 20, 0], 'codes_account_created',
    table => 'codes', no_filesort => 1);
explain_ok("the day's visitor salt", $SALT, [], 'PRIMARY', table => 'visitor_salts')
    if mysql_value('SELECT COUNT(*) FROM visitor_salts WHERE day = UTC_DATE()');
done_testing();
