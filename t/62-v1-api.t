# The v1 API end to end: POST/GET/PATCH/DELETE /api/v1/codes, the list's
# pagination, the image endpoint (every image read back by zbarimg), scans
# and stats with from/to, the codes API and v1 seeing and editing the same
# codes, another account's codes as 404, bad input as 400/422 naming the
# field, plan limits and the daily quota, and 401 as the JSON envelope.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use JSON::PP ();
use File::Temp qw(tempdir);
use POSIX qw(_exit strftime);
use Time::Local qw(timegm);
use Time::HiRes qw(sleep time);
use Qre;
use Tools;

for my $tool (qw(zbarimg rsvg-convert)) {
	plan skip_all => "$tool is not installed"
	    unless grep { -x "$_/$tool" } split /:/, $ENV{PATH} // '';
}

my $T = JSON::PP::true;
my $F = JSON::PP::false;
my $TMP = tempdir(CLEANUP => 1);
my ($PUBLIC_URL) = (slurp(env('QRE_CONFIG')) // '') =~ /^public_url\s*=\s*(\S+)/m;
$PUBLIC_URL //= 'https://localhost:8443';
my $ID = qr/^[0-9A-Za-z]{16}$/;
my $SHORT = qr/^[0-9A-Za-z]{7}$/;
my $RFC3339 = qr/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;
my $TODAY = strftime('%Y-%m-%d', gmtime);
my @CODE_KEYS = qw(id shortCode type mode title payload active scans createdAt
    updatedAt);
my $seq = 0;

# ---- helpers -------------------------------------------------------------

sub keys_of { [sort keys %{ $_[0] // {} }] }

sub epoch {
	my ($s) = @_;
	return undef unless defined $s && $s =~ $RFC3339;
	return timegm($6, $5, $4, $3, $2 - 1, $1);
}

sub create {
	my ($tok, %body) = @_;
	return api(POST => '/api/v1/codes', token => $tok, body => \%body);
}

# What zbar reads in image bytes (PNG as is, SVG drawn on white first).
sub decode_image {
	my ($bytes, $type) = @_;
	my $base = sprintf('%s/img%03d', $TMP, ++$seq);
	my $png = "$base.png";
	if (($type // '') =~ m{^image/svg\+xml}) {
		spew("$base.svg", $bytes);
		my ($st) = run_cmd(['rsvg-convert', '-w', 400, '-b', 'white', '-o', $png,
		    "$base.svg"]);
		return undef if $st != 0;
	} else {
		spew($png, $bytes);
	}
	return zbar($png);
}

sub png_info {
	my ($b) = @_;
	my %c;
	return {} unless substr($b // '', 0, 8) eq "\x89PNG\r\n\x1a\n";
	my $o = 8;
	while ($o + 8 <= length $b) {
		my ($len, $type) = unpack('N a4', substr($b, $o, 8));
		$c{$type} .= substr($b, $o + 8, $len);
		$o += 12 + $len;
	}
	my ($w, $h) = unpack('N N', $c{IHDR} // '');
	return { width => $w, height => $h, plte => $c{PLTE} // '' };
}

sub is_error {
	my ($r, $status, $code, $field, $what) = @_;
	is($r->{status}, $status, "$what: $status");
	is($r->{json}{success}, $F, "$what: success false");
	is($r->{json}{error}{code}, $code, "$what: $code") if defined $code;
	like($r->{json}{error}{message} // '', qr/\Q$field\E/, "$what: message names $field")
	    if defined $field;
	like($r->{headers}{'content-type'} // '', qr{^application/json}, "$what: JSON");
}

sub account_id {
	my ($email) = @_;
	return mysql_value("SELECT id FROM accounts WHERE email = '$email'");
}

my ($email, $tok) = new_account('enterprise');
my $acct = account_id($email);

# ---- 401: the JSON envelope ----------------------------------------------------------
for my $t (['no token', undef], ['unknown token', 'qre_' . ('Q' x 40)],
    ['malformed token', 'qre_short']) {
	my ($what, $bad) = @$t;
	for my $req ([GET => '/api/v1/codes'], [POST => '/api/v1/codes'],
	    [GET => '/api/v1/codes/AAAAAAAAAAAAAAAA/stats']) {
		my $r = api($req->[0], $req->[1], defined $bad ? (token => $bad) : (),
		    $req->[0] eq 'POST' ? (body => { type => 'url' }) : ());
		is($r->{status}, 401, "$what, $req->[0] $req->[1]: 401");
		is_deeply(keys_of($r->{json}), [qw(error success)],
		    "$what: {success, error}");
		is($r->{json}{success}, $F, "$what: success false");
		is($r->{json}{error}{code}, 'unauthorized', "$what: unauthorized");
		ok(length($r->{json}{error}{message} // ''), "$what: a message");
	}
}

# ---- create: every shape -----------------------------------------------------------------
my $t0 = time;
my $dest = 'https://example.com/v1?utm=qre&x=1';
my $r = create($tok, type => 'url', mode => 'dynamic', title => 'Dyn URL',
    payload => { url => $dest });
is($r->{status}, 201, 'POST url dynamic: 201');
like($r->{headers}{'content-type'}, qr{^application/json}, 'JSON');
is_deeply(keys_of($r->{json}), [qw(data success)], 'envelope: success and data');
is($r->{json}{success}, $T, 'success true');
my $du = $r->{json}{data};
is_deeply(keys_of($du), [sort @CODE_KEYS, 'shortUrl'], 'dynamic: the documented fields and shortUrl');
like($du->{id}, $ID, 'id: 16 base62');
like($du->{shortCode}, $SHORT, 'shortCode: 7 base62');
is($du->{shortUrl}, "$PUBLIC_URL/$du->{shortCode}", 'shortUrl');
is($du->{type}, 'url', 'type url');
is($du->{mode}, 'dynamic', 'mode dynamic');
is($du->{title}, 'Dyn URL', 'title');
is_deeply($du->{payload}, { url => $dest }, 'payload {url}');
is($du->{active}, $T, 'active true');
is($du->{scans}, 0, 'scans 0');
like($du->{createdAt}, $RFC3339, 'createdAt RFC 3339');
ok(abs(epoch($du->{createdAt}) - $t0) < 120, 'createdAt is now');
is($du->{updatedAt}, $du->{createdAt}, 'updatedAt = createdAt');
is(mysql_value("SELECT CONCAT_WS('|', account_id, name, kind, image_format, "
    . "is_dynamic, short_code, target_type, target, data, is_active) FROM codes "
    . "WHERE public_id = '$du->{id}'"),
    "$acct|Dyn URL|qr|png|1|$du->{shortCode}|url|$dest|$du->{shortUrl}|1",
    'stored as a dynamic QR code');

$r = create($tok, type => 'url', payload => { url => 'https://example.com/default-mode' });
is($r->{status}, 201, 'POST without mode: 201');
is($r->{json}{data}{mode}, 'dynamic', 'mode defaults to dynamic');
like($r->{json}{data}{shortCode}, $SHORT, 'and has a short code');
is($r->{json}{data}{title}, undef, 'title null when not given');
my $dm = $r->{json}{data};

my $text = "Text behind a code: <b>&</b>\nsecond line";
$r = create($tok, type => 'text', title => 'Dyn text', payload => { text => $text });
is($r->{status}, 201, 'POST text dynamic: 201');
my $dt = $r->{json}{data};
is($dt->{type}, 'text', 'type text');
is_deeply($dt->{payload}, { text => $text }, 'payload {text}, unchanged');

$r = create($tok, type => 'url', mode => 'static', title => 'Static URL',
    payload => { url => 'https://example.org/static' });
is($r->{status}, 201, 'POST url static: 201');
my $su = $r->{json}{data};
is_deeply(keys_of($su), [sort @CODE_KEYS], 'static: the documented fields, no shortUrl');
is($su->{shortCode}, undef, 'static: shortCode null');
is($su->{mode}, 'static', 'mode static');
is_deeply($su->{payload}, { url => 'https://example.org/static' }, 'static payload');
is(mysql_value("SELECT CONCAT_WS('|', is_dynamic, IFNULL(short_code, '~'), "
    . "IFNULL(target, '~'), data) FROM codes WHERE public_id = '$su->{id}'"),
    '0|~|~|https://example.org/static', 'stored: static, the URL is the data');

$r = create($tok, type => 'text', mode => 'static', payload => { text => 'static text' });
is($r->{status}, 201, 'POST text static: 201');
my $st = $r->{json}{data};
is_deeply([@$st{qw(type mode shortCode)}], ['text', 'static', undef], 'text static');

# ---- GET by id ----------------------------------------------------------------------------
for my $c ($du, $dm, $dt, $su, $st) {
	$r = api(GET => "/api/v1/codes/$c->{id}", token => $tok);
	is($r->{status}, 200, "GET $c->{id}: 200");
	is_deeply($r->{json}{data}, $c, "GET $c->{id}: the same code as created");
}
$r = api(GET => '/api/v1/codes/AAAAAAAAAAAAAAAA', token => $tok);
is_error($r, 404, 'not_found', undef, 'GET unknown id');
$r = api(GET => '/api/v1/codes/short', token => $tok);
is_error($r, 404, 'not_found', undef, 'GET malformed id');
$r = api(PUT => "/api/v1/codes/$du->{id}", token => $tok, body => { title => 'x' });
is_error($r, 405, 'method_not_allowed', undef, 'PUT on a v1 code');
like($r->{headers}{allow} // '', qr/PATCH/, 'Allow lists PATCH');

# ---- list and pagination ------------------------------------------------------------------
my ($e2, $tok2) = new_account('enterprise');
$r = api(GET => '/api/v1/codes', token => $tok2);
is($r->{status}, 200, 'empty list: 200');
is_deeply(keys_of($r->{json}), [qw(data pagination success)], 'list envelope: data and pagination');
is_deeply($r->{json}{data}, [], 'no codes');
is_deeply($r->{json}{pagination}, { page => 1, perPage => 20, total => 0, totalPages => 0 },
    'empty: page 1, perPage 20, total 0, totalPages 0');
my @mine;
for my $i (1 .. 5) {
	$r = create($tok2, type => 'url', title => "n$i",
	    payload => { url => "https://example.com/n$i" });
	push @mine, $r->{json}{data}{id};
	sleep 0.01;
}
my @newest = reverse @mine;
$r = api(GET => '/api/v1/codes', token => $tok2);
is_deeply($r->{json}{pagination}, { page => 1, perPage => 20, total => 5, totalPages => 1 },
    'defaults: page 1, perPage 20, total 5, totalPages 1');
is_deeply([map { $_->{id} } @{ $r->{json}{data} }], \@newest, 'newest first');
is_deeply(keys_of($r->{json}{data}[0]), [sort @CODE_KEYS, 'shortUrl'],
    'list items have the code fields');
my %pages = (1 => [@newest[0, 1]], 2 => [@newest[2, 3]], 3 => [$newest[4]], 4 => []);
for my $p (sort keys %pages) {
	$r = api(GET => "/api/v1/codes?page=$p&perPage=2", token => $tok2);
	is($r->{status}, 200, "page $p of 2 per page: 200");
	is_deeply([map { $_->{id} } @{ $r->{json}{data} }], $pages{$p}, "page $p: its codes");
	is_deeply($r->{json}{pagination}, { page => $p + 0, perPage => 2, total => 5,
	    totalPages => 3 }, "page $p: pagination (3 pages of 2)");
}
$r = api(GET => '/api/v1/codes?perPage=5', token => $tok2);
is($r->{json}{pagination}{totalPages}, 1, 'perPage 5, 5 codes: 1 page');
$r = api(GET => '/api/v1/codes?perPage=4', token => $tok2);
is($r->{json}{pagination}{totalPages}, 2, 'perPage 4, 5 codes: 2 pages');
$r = api(GET => '/api/v1/codes?perPage=100', token => $tok2);
is($r->{status}, 200, 'perPage 100: 200');
for my $q (['perPage=0', 422, 'perPage'], ['perPage=101', 422, 'perPage'],
    ['perPage=abc', 400, 'perPage'], ['perPage=', 400, 'perPage'],
    ['page=0', 422, 'page'], ['page=-1', 422, 'page'], ['page=1.5', 400, 'page']) {
	$r = api(GET => "/api/v1/codes?$q->[0]", token => $tok2);
	is_error($r, $q->[1], undef, $q->[2], "list ?$q->[0]");
}

# ---- PATCH each field ----------------------------------------------------------------------
sleep 1.1;	# updatedAt has whole seconds
$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok, body => { title => 'Renamed' });
is($r->{status}, 200, 'PATCH title: 200');
my $p = $r->{json}{data};
is_deeply(keys_of($p), [sort @CODE_KEYS, 'shortUrl'], 'PATCH answers the whole code');
is($p->{title}, 'Renamed', 'title changed');
is_deeply([@$p{qw(payload active shortCode createdAt)}],
    [@$du{qw(payload active shortCode createdAt)}], 'nothing else changed');
ok(epoch($p->{updatedAt}) > epoch($du->{createdAt}), 'updatedAt moved on');
my $g = api(GET => "/api/v1/codes/$du->{id}", token => $tok)->{json}{data};
is($g->{title}, 'Renamed', 'GET sees the title');
ok(abs(epoch($g->{updatedAt}) - epoch($p->{updatedAt})) <= 1, 'GET: the same updatedAt');

$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok,
    body => { destination => 'https://example.net/new' });
is($r->{status}, 200, 'PATCH destination: 200');
is_deeply($r->{json}{data}{payload}, { url => 'https://example.net/new' }, 'payload.url changed');
is($r->{json}{data}{type}, 'url', 'still a URL code');
is($r->{json}{data}{shortCode}, $du->{shortCode}, 'same short code');
is(mysql_value("SELECT target FROM codes WHERE public_id = '$du->{id}'"),
    'https://example.net/new', 'stored target');

$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok, body => { active => $F });
is($r->{status}, 200, 'PATCH active false: 200');
is($r->{json}{data}{active}, $F, 'active false');
is(api(GET => "/api/v1/codes/$du->{id}", token => $tok)->{json}{data}{active}, $F,
    'GET: active false');
$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok,
    body => { active => $T, title => 'Both', destination => 'https://example.net/both' });
is($r->{status}, 200, 'PATCH three fields at once: 200');
is_deeply([@{ $r->{json}{data} }{qw(active title)}, $r->{json}{data}{payload}{url}],
    [$T, 'Both', 'https://example.net/both'], 'all three changed');

$r = api(PATCH => "/api/v1/codes/$dt->{id}", token => $tok,
    body => { destination => 'new text & more' });
is($r->{status}, 200, 'PATCH destination of a text code: 200');
is_deeply($r->{json}{data}{payload}, { text => 'new text & more' }, 'payload.text changed');

$r = api(PATCH => "/api/v1/codes/$su->{id}", token => $tok,
    body => { destination => 'https://example.org/static-2' });
is($r->{status}, 200, 'PATCH destination of a static code: 200');
is_deeply($r->{json}{data}{payload}, { url => 'https://example.org/static-2' }, 'static payload changed');
is(mysql_value("SELECT data FROM codes WHERE public_id = '$su->{id}'"),
    'https://example.org/static-2', 'static: the encoded data changed');

my $before = api(GET => "/api/v1/codes/$du->{id}", token => $tok)->{json}{data};
for my $bad ([{ destination => 'ftp://x' }, 422, 'destination'],
    [{ destination => 'not a url' }, 422, 'destination'],
    [{ destination => 42 }, 400, 'destination'],
    [{ title => 'x' x 201 }, 422, 'title'],
    [{ title => '' }, 422, 'title'],
    [{ active => 'yes' }, 400, 'active'],
    [{ active => 1 }, 400, 'active']) {
	my ($body, $status, $field) = @$bad;
	$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok, body => $body);
	is_error($r, $status, undef, $field, 'PATCH ' . JSON::PP->new->canonical->encode($body));
}
$r = api(PATCH => "/api/v1/codes/$du->{id}", token => $tok, body => '{"title":');
is_error($r, 400, 'invalid_json', undef, 'PATCH malformed JSON');
is_deeply(api(GET => "/api/v1/codes/$du->{id}", token => $tok)->{json}{data}, $before,
    'refused PATCHes changed nothing');
$r = api(PATCH => '/api/v1/codes/AAAAAAAAAAAAAAAA', token => $tok, body => { title => 'x' });
is_error($r, 404, 'not_found', undef, 'PATCH unknown id');

# ---- the image ---------------------------------------------------------------------------------
my $img_path = "/api/v1/codes/$du->{id}/image";
$r = api(GET => $img_path, token => $tok);
is($r->{status}, 200, 'image: 200');
is($r->{headers}{'content-type'}, 'image/png', 'default: image/png');
my $pi = png_info($r->{content});
is($pi->{width}, 300, 'default size 300 px');
is(decode_image($r->{content}, 'image/png'), $du->{shortUrl}, 'dynamic PNG decodes to its shortUrl');
$r = api(GET => "$img_path?format=png", token => $tok);
is($r->{headers}{'content-type'}, 'image/png', 'format=png: image/png');
$r = api(GET => "$img_path?format=svg", token => $tok);
is($r->{status}, 200, 'format=svg: 200');
like($r->{headers}{'content-type'}, qr{^image/svg\+xml}, 'format=svg: image/svg+xml');
like($r->{content}, qr/<svg\b/, 'an SVG document');
is(decode_image($r->{content}, 'image/svg+xml'), $du->{shortUrl}, 'SVG decodes to its shortUrl');
$r = api(GET => "$img_path?size=512", token => $tok);
is(png_info($r->{content})->{width}, 512, 'size=512: 512 px wide');
is(png_info($r->{content})->{height}, 512, 'and high');
is(decode_image($r->{content}, 'image/png'), $du->{shortUrl}, 'size=512 decodes');
$r = api(GET => "$img_path?color=%231d4ed8&backgroundColor=%23fffbe6", token => $tok);
is($r->{status}, 200, 'colours: 200');
$pi = png_info($r->{content});
ok(index($pi->{plte}, "\x1d\x4e\xd8") >= 0, 'PNG palette holds #1d4ed8');
ok(index($pi->{plte}, "\xff\xfb\xe6") >= 0, 'PNG palette holds #fffbe6');
is(decode_image($r->{content}, 'image/png'), $du->{shortUrl}, 'coloured PNG decodes');
$r = api(GET => "$img_path?format=svg&color=b91c1c&size=200", token => $tok);
is($r->{status}, 200, 'SVG, colour without #, size 200: 200');
like($r->{content}, qr/fill="#b91c1c"/i, 'SVG drawn in #b91c1c');
like($r->{content}, qr/<svg [^>]*width="200"/, 'SVG 200 wide');
is(decode_image($r->{content}, 'image/svg+xml'), $du->{shortUrl}, 'coloured SVG decodes');
$r = api(GET => "/api/v1/codes/$su->{id}/image", token => $tok);
is(decode_image($r->{content}, 'image/png'), 'https://example.org/static-2',
    'static URL code: decodes to its URL');
$r = api(GET => "/api/v1/codes/$st->{id}/image?format=svg", token => $tok);
is(decode_image($r->{content}, 'image/svg+xml'), 'static text', 'static text code: decodes to its text');
for my $bad (['format=gif', 422, 'format'], ['size=10', 422, 'size'],
    ['size=5000', 422, 'size'], ['size=big', 400, 'size'],
    ['color=red', 422, 'color'], ['backgroundColor=%23zzzzzz', 422, 'backgroundColor']) {
	$r = api(GET => "$img_path?$bad->[0]", token => $tok);
	is_error($r, $bad->[1], undef, $bad->[2], "image ?$bad->[0]");
}
$r = api(GET => '/api/v1/codes/AAAAAAAAAAAAAAAA/image', token => $tok);
is_error($r, 404, 'not_found', undef, 'image of an unknown id');

# ---- scans and stats, with from/to ----------------------------------------------------------------
my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0, max_redirect => 0);
my $sc = create($tok, type => 'url', title => 'scanned',
    payload => { url => 'https://example.com/scanned' })->{json}{data};
my @agents = (
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 '
    . '(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:124.0) Gecko/20100101 Firefox/124.0',
    'Twitterbot/1.0');
for my $ua (@agents) {
	$http->get(env('QRE_HTTP_URL') . "/$sc->{shortCode}", { headers => {
	    'User-Agent' => $ua, Referer => 'https://news.example.com/story' } });
	sleep 0.02;
}
ok(wait_until(5, sub { (mysql_value("SELECT scans FROM codes WHERE public_id = "
    . "'$sc->{id}'") // 0) >= 3 && (mysql_value("SELECT COUNT(*) FROM scans s JOIN "
    . "codes c ON c.id = s.code_id WHERE c.public_id = '$sc->{id}'") // 0) >= 4 }),
    '4 scans stored (one a bot)');

my $sp = "/api/v1/codes/$sc->{id}/scans";
$r = api(GET => $sp, token => $tok);
is($r->{status}, 200, 'scans: 200');
is_deeply(keys_of($r->{json}), [qw(data pagination success)], 'scans: data and pagination');
is_deeply($r->{json}{pagination}, { page => 1, perPage => 20, total => 4, totalPages => 1 },
    'scans: pagination');
is(scalar @{ $r->{json}{data} }, 4, 'four scans');
is($r->{json}{data}[0]{browser}, 'Twitterbot', 'newest first (the bot came last)');
is($r->{json}{data}[3]{os}, 'iOS', 'oldest last');
my @stamps = map { epoch($_->{timestamp}) } @{ $r->{json}{data} };
ok(!grep({ !defined } @stamps) && $stamps[0] >= $stamps[3], 'timestamps descend');
ok(abs($stamps[0] - time) < 120, 'timestamps are now');
$r = api(GET => "$sp?perPage=3&page=2", token => $tok);
is_deeply($r->{json}{pagination}, { page => 2, perPage => 3, total => 4, totalPages => 2 },
    'scans page 2 of 3 per page');
is(scalar @{ $r->{json}{data} }, 1, 'page 2: the last scan');
is($r->{json}{data}[0]{os}, 'iOS', 'page 2: the oldest');
$r = api(GET => "$sp?from=2020-01-01&to=2020-12-31", token => $tok);
is($r->{status}, 200, 'scans of 2020: 200');
is_deeply([$r->{json}{data}, $r->{json}{pagination}{total}], [[], 0], 'scans of 2020: none');
$r = api(GET => "$sp?from=$TODAY&to=$TODAY", token => $tok);
is($r->{json}{pagination}{total}, 4, 'scans of today (dates): 4');
$r = api(GET => "$sp?from=${TODAY}T00:00:00Z&to=${TODAY}T23:59:59Z", token => $tok);
is($r->{json}{pagination}{total}, 4, 'scans of today (RFC 3339 times): 4');
my $future = strftime('%Y-%m-%d', gmtime(time + 2 * 86400));
$r = api(GET => "$sp?from=$future", token => $tok);
is($r->{json}{pagination}{total}, 0, 'scans from the day after tomorrow: none');

my $stp = "/api/v1/codes/$sc->{id}/stats";
$r = api(GET => $stp, token => $tok);
is($r->{status}, 200, 'stats: 200');
my $s = $r->{json}{data};
is_deeply(keys_of($s), [sort qw(from to totalScans uniqueVisitors byDay byCountry
    byDevice byOs byBrowser byReferrer)], 'stats: the fields');
like($s->{from}, qr/^\d{4}-\d\d-\d\d$/, "stats: from is a date ($s->{from})");
like($s->{to}, qr/^\d{4}-\d\d-\d\d$/, "stats: to is a date ($s->{to})");
ok($s->{from} le $TODAY && $s->{to} ge $TODAY, 'the default range holds today');
is($s->{totalScans}, 3, 'totalScans 3 (the bot left out)');
is($s->{uniqueVisitors}, 2, 'uniqueVisitors 2 (iPhone, Firefox twice)');
is_deeply($s->{byDay}, [{ date => $TODAY, scans => 3, uniqueVisitors => 2 }], 'byDay');
is_deeply($s->{byCountry}, [{ value => undef, scans => 3 }], 'byCountry: unknown on loopback');
is_deeply($s->{byDevice}, [{ value => 'desktop', scans => 2 }, { value => 'mobile', scans => 1 }],
    'byDevice, biggest first');
is_deeply($s->{byOs}, [{ value => 'Windows', scans => 2 }, { value => 'iOS', scans => 1 }], 'byOs');
is_deeply($s->{byBrowser}, [{ value => 'Firefox', scans => 2 }, { value => 'Safari', scans => 1 }],
    'byBrowser');
is_deeply($s->{byReferrer}, [{ value => 'news.example.com', scans => 3 }], 'byReferrer by host');
$r = api(GET => "$stp?from=2020-01-01&to=2020-12-31", token => $tok);
is($r->{status}, 200, 'stats of 2020: 200');
is_deeply($r->{json}{data}, { from => '2020-01-01', to => '2020-12-31', totalScans => 0,
    uniqueVisitors => 0, byDay => [], byCountry => [], byDevice => [], byOs => [],
    byBrowser => [], byReferrer => [] }, 'stats of 2020: empty');
$r = api(GET => "$stp?from=$TODAY&to=$TODAY", token => $tok);
$s = $r->{json}{data};
is_deeply([@$s{qw(from to totalScans uniqueVisitors)}], [$TODAY, $TODAY, 3, 2],
    'stats of today: from, to, 3 scans, 2 visitors');
is_deeply($s->{byDay}, [{ date => $TODAY, scans => 3, uniqueVisitors => 2 }], 'stats of today: byDay');

for my $bad (['from=yesterday', 400, 'from'], ['to=2024-13-45', 400, 'to'],
    ['from=2024-01-01T25:00:00Z', 400, 'from'], ["from=$TODAY&to=2020-01-01", 422, 'from']) {
	for my $what ('scans', 'stats') {
		$r = api(GET => "/api/v1/codes/$sc->{id}/$what?$bad->[0]", token => $tok);
		is_error($r, $bad->[1], undef, $bad->[2], "$what ?$bad->[0]");
	}
}
for my $bad (['perPage=0', 422], ['perPage=101', 422], ['perPage=abc', 400], ['page=0', 422]) {
	$r = api(GET => "$sp?$bad->[0]", token => $tok);
	is_error($r, $bad->[1], undef, $bad->[0] =~ /^(\w+)/, "scans ?$bad->[0]");
}

# ---- the two surfaces share the codes ------------------------------------------------------------
$r = api(POST => '/api/codes/generate', token => $tok, body => { type => 'qr',
    data => 'https://example.com/from-generate', isDynamic => $T, name => 'Gen' });
is($r->{status}, 201, 'generate: a dynamic code');
my $gen = $r->{json}{data};
$r = api(GET => "/api/v1/codes/$gen->{id}", token => $tok);
is($r->{status}, 200, 'v1 GET of a generate-made code: 200');
my $v = $r->{json}{data};
is_deeply([@$v{qw(id shortCode shortUrl type mode title active scans)}],
    [$gen->{id}, $gen->{shortCode}, $gen->{shortUrl}, 'url', 'dynamic', 'Gen', $T, 0],
    'v1 shows it as a dynamic URL code titled Gen');
is_deeply($v->{payload}, { url => 'https://example.com/from-generate' }, 'payload.url = its destination');
$r = api(GET => '/api/v1/codes?perPage=100', token => $tok);
ok(scalar(grep { $_->{id} eq $gen->{id} } @{ $r->{json}{data} }), 'and in the v1 list');
is($r->{json}{pagination}{total}, mysql_value("SELECT COUNT(*) FROM codes WHERE "
    . "account_id = $acct"), 'v1 total counts the codes of both surfaces');

$r = api(POST => '/api/codes/generate', token => $tok, body => { type => 'qr',
    data => 'just words', saveToLibrary => $T, name => 'Static gen' });
$r = api(GET => "/api/v1/codes/$r->{json}{data}{id}", token => $tok);
is_deeply([@{ $r->{json}{data} }{qw(type mode shortCode title)}, $r->{json}{data}{payload}],
    ['text', 'static', undef, 'Static gen', { text => 'just words' }],
    'a saved static QR code: v1 text/static');

$r = api(GET => "/api/codes/$dm->{id}", token => $tok);
is($r->{status}, 200, 'codes API GET of a v1 code: 200');
my $c = $r->{json}{data};
is_deeply([@$c{qw(id type isDynamic shortCode shortUrl targetUrl data isActive name format)}],
    [$dm->{id}, 'qr', $T, $dm->{shortCode}, $dm->{shortUrl},
    'https://example.com/default-mode', $dm->{shortUrl}, $T, undef, 'png'],
    'codes API shows the v1 code as a dynamic QR code');
$r = api(GET => '/api/codes?limit=100', token => $tok);
ok(scalar(grep { $_->{id} eq $dm->{id} } @{ $r->{json}{data}{codes} }), 'and in its list');

$r = api(PUT => "/api/codes/$dm->{id}", token => $tok,
    body => { name => 'Named on PUT', targetUrl => 'https://example.com/put-dest' });
is($r->{status}, 200, 'PUT on the codes API: 200');
$v = api(GET => "/api/v1/codes/$dm->{id}", token => $tok)->{json}{data};
is_deeply([$v->{title}, $v->{payload}], ['Named on PUT', { url => 'https://example.com/put-dest' }],
    'v1 sees the PUT (title, payload.url)');
$r = api(PUT => "/api/codes/$dm->{id}", token => $tok, body => { isActive => $F });
is(api(GET => "/api/v1/codes/$dm->{id}", token => $tok)->{json}{data}{active}, $F,
    'v1 sees isActive false');
$r = api(PATCH => "/api/v1/codes/$gen->{id}", token => $tok, body => { title => 'Patched',
    destination => 'https://example.com/patched', active => $F });
is($r->{status}, 200, 'PATCH a generate-made code: 200');
$c = api(GET => "/api/codes/$gen->{id}", token => $tok)->{json}{data};
is_deeply([@$c{qw(name targetUrl isActive)}], ['Patched', 'https://example.com/patched', $F],
    'codes API sees the PATCH (name, targetUrl, isActive)');
is($c->{imageBase64}, api(GET => "/api/codes/$gen->{id}", token => $tok)->{json}{data}{imageBase64},
    'image stable');
$r = api(DELETE => "/api/codes/$dm->{id}", token => $tok);
is($r->{status}, 200, 'DELETE on the codes API');
is(api(GET => "/api/v1/codes/$dm->{id}", token => $tok)->{status}, 404, 'v1: 404 after it');

# ---- DELETE ---------------------------------------------------------------------------------------
$r = api(DELETE => "/api/v1/codes/$gen->{id}", token => $tok);
is($r->{status}, 200, 'v1 DELETE: 200');
is_deeply($r->{json}, { success => $T, message => 'Code deleted' }, 'v1 DELETE: message');
is(mysql_value("SELECT COUNT(*) FROM codes WHERE public_id = '$gen->{id}'"), 0, 'row gone');
is_error(api(GET => "/api/v1/codes/$gen->{id}", token => $tok), 404, 'not_found', undef,
    'v1 GET after DELETE');
is_error(api(GET => "/api/codes/$gen->{id}", token => $tok), 404, 'not_found', undef,
    'codes API GET after v1 DELETE');
is_error(api(DELETE => "/api/v1/codes/$gen->{id}", token => $tok), 404, 'not_found', undef,
    'v1 DELETE again');

# ---- another account's codes are 404 ---------------------------------------------------------------
my $snap = mysql_value("SELECT CONCAT_WS('|', name, target, is_active, updated_at) "
    . "FROM codes WHERE public_id = '$sc->{id}'");
for my $req ([GET => ''], [PATCH => '', { title => 'mine now' }],
    [PATCH => '', { active => $F }], [DELETE => ''], [GET => '/image'],
    [GET => '/scans'], [GET => '/stats']) {
	my ($m, $sub, $body) = @$req;
	$r = api($m, "/api/v1/codes/$sc->{id}$sub", token => $tok2,
	    $body ? (body => $body) : ());
	is_error($r, 404, 'not_found', undef, "another account: $m $sub" . ($body ? ' '
	    . join(',', keys %$body) : ''));
}
is(mysql_value("SELECT CONCAT_WS('|', name, target, is_active, updated_at) FROM codes "
    . "WHERE public_id = '$sc->{id}'"), $snap, "the owner's code is unchanged");
ok(!grep({ $_->{id} eq $sc->{id} } @{ api(GET => '/api/v1/codes?perPage=100',
    token => $tok2)->{json}{data} }), "and not in the other account's list");

# ---- bad input on POST -----------------------------------------------------------------------------
my $count = sub { mysql_value("SELECT COUNT(*) FROM codes WHERE account_id = $acct") };
my $n0 = $count->();
for my $bad (
    [{ type => 'pdf', payload => { url => 'https://x.example/' } }, 422, 'type'],
    [{ payload => { url => 'https://x.example/' } }, 400, 'type'],
    [{ type => 5, payload => { url => 'https://x.example/' } }, 400, 'type'],
    [{ type => 'url', mode => 'maybe', payload => { url => 'https://x.example/' } }, 422, 'mode'],
    [{ type => 'url', mode => 1, payload => { url => 'https://x.example/' } }, 400, 'mode'],
    [{ type => 'url' }, 400, 'payload'],
    [{ type => 'url', payload => 'https://x.example/' }, 400, 'payload'],
    [{ type => 'url', payload => {} }, 400, 'payload.url'],
    [{ type => 'url', payload => { text => 'hello' } }, 400, 'payload.url'],
    [{ type => 'text', payload => { url => 'https://x.example/' } }, 400, 'payload.text'],
    [{ type => 'url', payload => { url => 'ftp://x' } }, 422, 'payload.url'],
    [{ type => 'url', payload => { url => 'javascript:alert(1)' } }, 422, 'payload.url'],
    [{ type => 'url', payload => { url => 'https://x.example/' . ('a' x 2100) } }, 422, 'payload.url'],
    [{ type => 'url', payload => { url => '' } }, 422, 'payload.url'],
    [{ type => 'text', payload => { text => 'x' x 4097 } }, 422, 'payload.text'],
    [{ type => 'url', title => 'x' x 201, payload => { url => 'https://x.example/' } }, 422, 'title'],
    [{ type => 'url', title => 7, payload => { url => 'https://x.example/' } }, 400, 'title'],
) {
	my ($body, $status, $field) = @$bad;
	$r = create($tok, %$body);
	my $label = JSON::PP->new->canonical->encode($body);
	$label = substr($label, 0, 60) . '...' if length $label > 60;
	is_error($r, $status, undef, $field, "POST $label");
}
# What the symbol cannot hold is refused with the encoder's reason; behind
# a short code the same text is fine (only the short URL is encoded).
$r = create($tok, type => 'text', mode => 'static', payload => { text => 'x' x 4000 });
is_error($r, 422, 'unprocessable', undef, 'POST static text too long for a QR code');
like($r->{json}{error}{message} // '', qr/QR|fit|too (long|much)|capacity/i,
    "the encoder's reason: " . ($r->{json}{error}{message} // ''));
$r = create($tok, type => 'text', payload => { text => 'x' x 4000 });
is($r->{status}, 201, 'the same text as a dynamic code: 201');
$n0++ if $r->{status} == 201;
is_error(api(POST => '/api/v1/codes', token => $tok, body => '{"type": "url",'),
    400, 'invalid_json', undef, 'POST malformed JSON');
is_error(api(POST => '/api/v1/codes', token => $tok, body => '{}',
    headers => { 'Content-Type' => 'text/plain' }), 415, 'unsupported_media_type', undef,
    'POST text/plain');
is($count->(), $n0, 'no code was made by any refused POST');

# ---- plan limits and the daily quota apply to v1 ------------------------------------------------------
my ($ef, $tokf) = new_account('free');
my $acctf = account_id($ef);
my $calls = 0;
my $fcreate = sub { $calls++; create($tokf, @_) };
for my $i (1, 2) {
	$r = $fcreate->(type => 'url', payload => { url => "https://example.com/f$i" });
	is($r->{status}, 201, "free: dynamic $i of 2: 201");
}
$r = $fcreate->(type => 'url', payload => { url => 'https://example.com/f3' });
is_error($r, 403, 'plan_limit_reached', 'dynamic', 'free: third dynamic');
like($r->{json}{error}{message}, qr/\bfree\b.*\b2\b/, 'message names the plan and limit');
for my $i (3 .. 5) {
	$r = $fcreate->(type => 'text', mode => 'static', payload => { text => "s$i" });
	is($r->{status}, 201, "free: saved code $i of 5 (static): 201");
}
$r = $fcreate->(type => 'text', mode => 'static', payload => { text => 's6' });
is_error($r, 403, 'plan_limit_reached', 'saved', 'free: sixth saved code');
is(mysql_value("SELECT CONCAT(COUNT(*), '/', SUM(is_dynamic)) FROM codes WHERE "
    . "account_id = $acctf"), '5/2', 'free: 5 codes, 2 dynamic');

my ($ok, $remaining_ok) = (0, 0);
my $made_calls = $calls;
while ($calls < 100) {
	$r = api(GET => '/api/v1/codes', token => $tokf);
	$calls++;
	$ok++ if $r->{status} == 200;
	$remaining_ok++ if ($r->{headers}{'x-ratelimit-remaining'} // -1) == 100 - $calls
	    && ($r->{headers}{'x-ratelimit-limit'} // '') eq '100';
}
is($ok, 100 - $made_calls, 'free: the rest of the 100 calls answered');
is($remaining_ok, 100 - $made_calls, 'X-RateLimit-Limit 100 and Remaining counting down');
$r = api(GET => '/api/v1/codes', token => $tokf);
is_error($r, 429, 'daily_quota_exceeded', undef, 'free: call 101');
ok(($r->{headers}{'retry-after'} // 0) > 0, 'with Retry-After');
is($r->{headers}{'x-ratelimit-remaining'}, 0, 'Remaining 0');
$r = api(POST => '/api/v1/codes', token => $tokf, body => { type => 'url',
    payload => { url => 'https://example.com/late' } });
is_error($r, 429, 'daily_quota_exceeded', undef, 'free: POST after the quota');
is(api(GET => "/api/v1/codes/AAAAAAAAAAAAAAAA/stats", token => $tokf)->{status}, 429,
    'free: stats after the quota');
done_testing();
