package Hostile;
# The hostile corpus (issue 10): requests no correct client sends, over
# every route of both API surfaces and the public short-code path.  The
# cases are written here once, as tables, for t/44 (through nginx) and
# t/45 (straight to an AddressSanitizer build over FastCGI).
#
# A case is a hash:
#   group, name      what it is ("types", "generate: size = 63")
#   method, target   the request line's method and target, sent as is
#   headers          [[Name, value], ...], sent as is and in order
#   body             bytes, or undef
#   expect           'json' (the API's error envelope, the default) or
#                    'page' (the short-code path: a 4xx page, or the
#                    envelope when nginx or the router refuses first)
#   status           the exact status, when the contract fixes it
#   code, message    the envelope's error code / a pattern its message matches
#   asan             1: also in t/45's subset (the most dangerous ones)
#   https            1: t/44 sends it over HTTPS (the per-key limited way)
#   http_only        1: only HTTP can say it (Transfer-Encoding, HTTP version)
#   fcgi_only        1: only FastCGI can say it (a body shorter than its length)
#   known            the known bug it hits (it fails until the fix is merged)
#   todo             a bug found by this corpus, not fixed yet: the test
#                    runs it last, as a TODO test, so that the report stays
#                    visible until the fix lands (then remove the mark)
# Every case must be answered with a 4xx, never a 2xx or a 5xx.
use strict;
use warnings;
use Exporter 'import';
use JSON::PP ();
use IO::Socket::INET;
use IO::Select;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep);
use Qre;
use FCGIClient;

our @EXPORT_OK = qw(setup teardown cases verdict db_state db_settle db_diff
    send_http send_https send_fcgi describe);

my $J = JSON::PP->new->canonical->utf8;
my $T = JSON::PP::true;
my $F = JSON::PP::false;

my $G = '/api/codes/generate';
my $V1 = '/api/v1/codes';
my $WH = '/api/v1/webhooks';
my $TOKENS = '/api/tokens';

# The rows of a query, as the stack's root: a list of array refs.
sub mysql_rows {
	my ($sql) = @_;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S',
	    env('QRE_MYSQL_SOCKET'), '-u', 'root', '-N', '-B', 'qre', '-e', $sql)
	    or die "mariadb: $!";
	my @rows = map { chomp; [split /\t/] } <$fh>;
	close $fh or die "mariadb failed on: $sql\n";
	return @rows;
}

# ---------------------------------------------------------------------------
# The objects the corpus aims at: a dedicated enterprise account with codes
# of each kind and webhooks, and a second account whose objects must stay
# out of reach.

sub setup_call {
	my ($tok, $method, $path, $body, $want) = @_;
	my $r = api($method, $path, token => $tok,
	    defined $body ? (body => $body) : ());
	die "hostile setup: $method $path: $r->{status} $r->{content}\n"
	    unless $r->{status} == $want;
	return $r->{json};
}

sub setup {
	my %c;
	my ($email, $tok) = new_account('enterprise');
	@c{qw(email token)} = ($email, $tok);
	$c{account} = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
	my $gen = sub { setup_call($tok, POST => $G, {@_}, 201)->{data} };

	$c{S} = $gen->(type => 'qr', data => 'hostile static', name => 'static',
	    saveToLibrary => $T)->{id};
	$c{B} = $gen->(type => 'barcode', barcodeFormat => 'EAN13',
	    data => '590123412345', saveToLibrary => $T)->{id};
	my $d = $gen->(type => 'qr', data => 'https://example.com/dest',
	    isDynamic => $T, name => 'dynamic');
	@c{qw(D D_short)} = @$d{qw(id shortCode)};
	$c{DT} = $gen->(type => 'qr', data => 'dynamic text', isDynamic => $T)->{id};
	my $i = $gen->(type => 'qr', data => 'https://example.com/off',
	    isDynamic => $T);
	@c{qw(I I_short)} = @$i{qw(id shortCode)};
	setup_call($tok, PUT => "/api/codes/$c{I}", { isActive => $F }, 200);
	$c{VT} = setup_call($tok, POST => $V1, { type => 'text', mode => 'static',
	    title => 'v1 text', payload => { text => 'hello' } }, 201)->{data}{id};
	$c{VU} = setup_call($tok, POST => $V1, { type => 'url', mode => 'static',
	    payload => { url => 'https://example.com/static' } }, 201)->{data}{id};

	# Webhooks after the codes: no events wait for them.
	my @all = qw(scan code.created code.updated code.deleted);
	$c{W} = setup_call($tok, POST => $WH, { url => 'http://127.0.0.1:9/hook',
	    events => \@all }, 201)->{data}{id};
	$c{W2} = setup_call($tok, POST => $WH, { url => 'http://127.0.0.1:9/off',
	    events => ['scan'] }, 201)->{data}{id};
	setup_call($tok, PATCH => "$WH/$c{W2}", { active => $F }, 200);

	$c{revoked} = setup_call($tok, POST => $TOKENS, { name => 'revoked' },
	    201)->{data}{token};
	setup_call($tok, DELETE => "$TOKENS/revoked", undef, 200);
	setup_call($tok, POST => $TOKENS, { name => 'victim' }, 201);

	# Another account: its objects are 404 to us, whatever we send.
	my ($other_email, $other) = new_account('enterprise');
	$c{other_token} = $other;
	$c{other_account} = mysql_value("SELECT id FROM accounts WHERE email = "
	    . "'$other_email'");
	$c{OS} = setup_call($other, POST => $G, { type => 'qr', data => 'theirs',
	    saveToLibrary => $T }, 201)->{data}{id};
	$c{OD} = setup_call($other, POST => $V1, { type => 'url', mode => 'dynamic',
	    payload => { url => 'https://example.com/theirs' } }, 201)->{data}{id};
	$c{OW} = setup_call($other, POST => $WH, { url => 'http://127.0.0.1:9/theirs',
	    events => ['scan'] }, 201)->{data}{id};
	return \%c;
}

# Remove both accounts and all they own (the TODO cases may have stored
# codes and webhooks whose deliveries would fail, and be retried, during
# later tests).  Events name their account without a foreign key.
sub teardown {
	my ($c) = @_;
	my $ids = join(', ', grep { defined } @$c{qw(account other_account)});
	return unless length $ids;
	mysql_rows("DELETE FROM events WHERE account_id IN ($ids); "
	    . "DELETE FROM accounts WHERE id IN ($ids)");
}

# ---------------------------------------------------------------------------
# Building cases.

# JSON text of $base with the member at $path ("customization.size")
# replaced by the raw JSON text $raw (bytes).
sub with_raw {
	my ($base, $path, $raw) = @_;
	my $copy = $J->decode($J->encode($base));
	my @k = split /\./, $path;
	my $last = pop @k;
	my $o = $copy;
	$o = $o->{$_} for @k;
	$o->{$last} = "\x{1}HOSTILE\x{1}";
	my $text = $J->encode($copy);
	$text =~ s/"\\u0001HOSTILE\\u0001"/$raw/ or die "with_raw: $path";
	return $text;
}

# JSON text of $base with one more member, named by the raw JSON text $name.
sub with_member {
	my ($base, $name, $value) = @_;
	my $text = $J->encode($base);
	$text =~ s/^\{/{$name:$value,/ or die;
	return $text;
}

# A JSON string literal (bytes) of a Perl string.
sub jstr { $J->encode([$_[0]]) =~ s/^\[|\]$//gr }

# The fields of each JSON route, with a value that is valid on its own:
# [label, method, target, base body, field path, valid value, template].
# The template wraps the value where the field is an array's item.
sub string_fields {
	my ($c) = @_;
	my %gen = gen_base();
	return (
		['generate type', POST => $G, \%gen, 'type', 'qr'],
		['generate data', POST => $G, \%gen, 'data', 'hostile'],
		['generate name', POST => $G, \%gen, 'name', 'n'],
		['generate format', POST => $G, \%gen, 'format', 'png'],
		['generate customization.color', POST => $G, \%gen,
		    'customization.color', '#000000'],
		['generate customization.backgroundColor', POST => $G, \%gen,
		    'customization.backgroundColor', '#FFFFFF'],
		['generate customization.errorCorrection', POST => $G, \%gen,
		    'customization.errorCorrection', 'M'],
		['generate barcodeFormat', POST => $G, { bar_base() },
		    'barcodeFormat', 'CODE128'],
		['v1 create type', POST => $V1, { v1_base() }, 'type', 'url'],
		['v1 create mode', POST => $V1, { v1_base() }, 'mode', 'dynamic'],
		['v1 create title', POST => $V1, { v1_base() }, 'title', 't'],
		['v1 create payload.url', POST => $V1, { v1_base() }, 'payload.url',
		    'https://example.org/'],
		['v1 create payload.text', POST => $V1, { v1_text_base() },
		    'payload.text', 'hello'],
		['PUT name', PUT => "/api/codes/$c->{S}", { name => 'renamed',
		    isActive => $F }, 'name', 'renamed'],
		['PUT data', PUT => "/api/codes/$c->{S}", { data => 'changed' },
		    'data', 'changed'],
		['PUT targetUrl', PUT => "/api/codes/$c->{D}", { targetUrl =>
		    'https://example.org/' }, 'targetUrl', 'https://example.org/'],
		['PUT targetData', PUT => "/api/codes/$c->{DT}", { targetData =>
		    'new text' }, 'targetData', 'new text'],
		['PATCH title', PATCH => "$V1/$c->{D}", { title => 't2',
		    active => $F }, 'title', 't2'],
		['PATCH destination', PATCH => "$V1/$c->{D}", { destination =>
		    'https://example.net/' }, 'destination', 'https://example.net/'],
		['PATCH text destination', PATCH => "$V1/$c->{VT}", { destination =>
		    'other text' }, 'destination', 'other text'],
		['token name', POST => $TOKENS, { name => 'n' }, 'name', 'n'],
		['webhook url', POST => $WH, { wh_base() }, 'url',
		    'http://127.0.0.1:9/hook'],
		['webhook events item', POST => $WH, { wh_base() }, 'events',
		    'scan', '["code.created",%s]'],
		['webhook PATCH url', PATCH => "$WH/$c->{W}", { url =>
		    'http://127.0.0.1:9/other' }, 'url', 'http://127.0.0.1:9/other'],
		['webhook PATCH events item', PATCH => "$WH/$c->{W}", { events =>
		    ['scan'] }, 'events', 'code.updated', '[%s]'],
	);
}

sub gen_base {
	return (type => 'qr', data => 'hostile', name => 'n', format => 'png',
	    saveToLibrary => $T, isDynamic => $F, customization => {
	    color => '#000000', backgroundColor => '#FFFFFF', size => 300,
	    errorCorrection => 'M', margin => 4 });
}
sub bar_base { (type => 'barcode', barcodeFormat => 'CODE128',
    data => 'hostile', saveToLibrary => $T) }
sub v1_base { (type => 'url', mode => 'dynamic', title => 't',
    payload => { url => 'https://example.org/' }) }
sub v1_text_base { (type => 'text', mode => 'static', title => 't',
    payload => { text => 'hello' }) }
sub wh_base { (url => 'http://127.0.0.1:9/hook', events => ['scan']) }

# The field labelled $label.
sub field {
	my ($fields, $label) = @_;
	my ($f) = grep { $_->[0] eq $label } @$fields;
	return $f // die "no field '$label'";
}

# The fields in t/45's subset: one per route and surface.
my %ASAN_FIELD = map { $_ => 1 } ('generate name', 'generate data',
    'v1 create payload.url', 'PUT targetData', 'PATCH destination',
    'token name', 'webhook url', 'webhook events item');

# The body of a string field whose value is the raw JSON text $raw.
sub field_body {
	my ($f, $raw) = @_;
	my (undef, undef, undef, $base, $path, undef, $tmpl) = @$f;
	$raw = sprintf($tmpl, $raw) if defined $tmpl;
	return with_raw($base, $path, $raw);
}

# ---------------------------------------------------------------------------
# The corpus.

sub cases {
	my ($c) = @_;
	my @out;
	my $auth = ['Authorization', "Bearer $c->{token}"];
	my $json = ['Content-Type', 'application/json'];
	# $add->(name, method, target, body, key => value...): a case of the
	# current $group, an API call with our token and, with a body, a JSON
	# Content-Type; headers => [...] replaces both.
	my $group;
	my $add = sub {
		my ($name, $method, $target, $body, %o) = @_;
		my $headers = $o{headers} // [$auth, defined $body ? $json : ()];
		push @out, { group => $group, name => $name, method => $method,
		    target => $target, body => $body, %o, headers => $headers };
	};

	my @fields = string_fields($c);

	# -- JSON type confusion on every field ------------------------------
	$group = 'types';
	my @not_string = ('0', '1', '-1', '1.5', '1e400', 'true', 'false', '[]',
	    '["x"]', '{}', '{"x":"y"}');
	my @not_bool = ('"true"', '"false"', '1', '0', '""', '[]', '{}',
	    '[true]', '"yes"', '1.0');
	my @not_int = ('"300"', '""', '300.5', '300.0', '3e2', 'true', '[]', '{}',
	    '[300]', '1e400', '-1e400', '"0x10"');
	my @not_object = ('"x"', '1', 'true', '[]', '[{}]', '"{}"');
	my @not_array = ('"scan"', '1', 'true', '{}', '{"0":"scan"}', '[1]',
	    '[true]', '[[]]', '[{}]', '["scan",1]');
	for my $f (@fields) {
		next if defined $f->[6];	# an array's item: see events below
		$add->("$f->[0] = $_", $f->[1], $f->[2], with_raw($f->[3], $f->[4], $_),
		    status => 400, code => 'invalid_field') for @not_string;
	}
	my %gen = gen_base();
	for my $b (['generate', POST => $G, \%gen, qw(saveToLibrary isDynamic)],
	    ['PUT', PUT => "/api/codes/$c->{S}", { isActive => $F }, 'isActive'],
	    ['PATCH', PATCH => "$V1/$c->{D}", { active => $F }, 'active'],
	    ['webhook PATCH', PATCH => "$WH/$c->{W}", { active => $T,
	    rotateSecret => $F }, qw(active rotateSecret)]) {
		my ($label, $m, $t, $base, @names) = @$b;
		for my $n (@names) {
			$add->("$label $n = $_", $m, $t, with_raw($base, $n, $_),
			    status => 400, code => 'invalid_field') for @not_bool;
		}
	}
	for my $n (qw(customization.size customization.margin)) {
		$add->("generate $n = $_", POST => $G, with_raw(\%gen, $n, $_),
		    status => 400, code => 'invalid_field') for @not_int;
	}
	for my $b (['generate customization', POST => $G, \%gen, 'customization'],
	    ['v1 create payload', POST => $V1, { v1_base() }, 'payload'],
	    ['v1 create text payload', POST => $V1, { v1_text_base() }, 'payload']) {
		$add->("$b->[0] = $_", $b->[1], $b->[2], with_raw($b->[3], $b->[4], $_),
		    status => 400, code => 'invalid_field') for @not_object;
	}
	for my $b (['webhook events', POST => $WH, { wh_base() }],
	    ['webhook PATCH events', PATCH => "$WH/$c->{W}", { events => ['scan'] }]) {
		$add->("$b->[0] = $_", $b->[1], $b->[2], with_raw($b->[3], 'events', $_),
		    status => 400, code => 'invalid_field') for @not_array;
	}

	# -- Numbers at and past every limit ---------------------------------
	$group = 'limits';
	my @big = ('2147483647', '2147483648', '4294967296', '9007199254740992',
	    '9007199254740993', '9223372036854775807', '9223372036854775808',
	    '18446744073709551616', '99999999999999999999999', '-2147483649',
	    '-9007199254740992', '-9223372036854775808', '-9223372036854775809');
	for my $v ('63', '4097', '0', '-0', '-1', '-64', '65536', @big) {
		$add->("generate size = $v", POST => $G,
		    with_raw(\%gen, 'customization.size', $v), status => 422);
		$add->("barcode size = $v", POST => $G, with_raw({ bar_base(),
		    customization => { size => 300 } }, 'customization.size', $v),
		    status => 422);
	}
	for my $v ('33', '-1', '127', '128', '255', '256', '-128', '-129', @big) {
		$add->("generate margin = $v", POST => $G,
		    with_raw(\%gen, 'customization.margin', $v), status => 422);
		$add->("barcode margin = $v", POST => $G, with_raw({ bar_base(),
		    customization => { margin => 4 } }, 'customization.margin', $v),
		    status => 422);
	}
	for my $v ('64.0', '6.4e1', '1.5', '1e2', '1E400', '-0.0', '4096.0000001') {
		$add->("generate size = $v", POST => $G,
		    with_raw(\%gen, 'customization.size', $v), status => 400);
		$add->("generate margin = $v", POST => $G,
		    with_raw(\%gen, 'customization.margin', $v), status => 400);
	}
	my $D = $c->{D};
	# At the limits, which are fine, with a later field wrong: the value
	# at the edge is taken, the request still refused.
	for my $v (['size', 64], ['size', 4096], ['margin', 0], ['margin', 32]) {
		my %b = (%gen, customization => { %{ $gen{customization} },
		    $v->[0] => $v->[1], errorCorrection => 'X' });
		$add->("generate $v->[0] = $v->[1], errorCorrection X", POST => $G,
		    $J->encode(\%b), status => 422);
	}
	for my $q (['/api/codes', 'limit=1&offset=-1'], ['/api/codes',
	    'limit=100&offset=1000000001'], ['/api/codes', 'offset=1000000000&type=x'],
	    [$V1, 'page=1000000&perPage=0'], [$V1, 'page=1&perPage=101'],
	    ["$V1/$D/scans", 'page=1000000&perPage=101'],
	    ["$V1/$D/image", 'size=64&color=GGGGGG'],
	    ["$V1/$D/image", 'size=4096&format=gif']) {
		$add->("$q->[0] ?$q->[1]", GET => "$q->[0]?$q->[1]", undef,
		    status => 422);
	}
	# Query numbers: [route, parameter, range's 422 values].  Values that
	# are not whole numbers are 400.
	my @not_whole = ('1.5', '1e2', '1e400', 'abc', '', ' 5', '%205', '+5',
	    '0x10', '5%00', '%EF%BC%91', '5;', '--1', '1-');
	my @past = ('9007199254740992', '9223372036854775808',
	    '99999999999999999999999', '-9223372036854775809');
	for my $q (['/api/codes', 'limit', '0', '101', '-1', '-0', '%35%30%30'],
	    ['/api/codes', 'offset', '-1', '1000000001'],
	    [$V1, 'page', '0', '-1', '-0', '1000001'],
	    [$V1, 'perPage', '0', '101', '-1'],
	    ["$V1/$D/scans", 'page', '0', '1000001'],
	    ["$V1/$D/scans", 'perPage', '0', '101'],
	    ["$V1/$D/image", 'size', '63', '4097', '0', '-1'],
	    ["$WH/$c->{W}/deliveries", 'page', '0', '1000001'],
	    ["$WH/$c->{W}/deliveries", 'perPage', '0', '101']) {
		my ($path, $p, @range) = @$q;
		$add->("$path ?$p=$_", GET => "$path?$p=$_", undef, status => 422)
		    for @range, @past;
		$add->("$path ?$p=$_", GET => "$path?$p=$_", undef, status => 400)
		    for @not_whole;
	}
	# Repeated parameters: the first one counts, and it is bad.
	$add->('/api/codes ?limit twice', GET => '/api/codes?limit=500&limit=5',
	    undef, status => 422);
	$add->("$V1 ?perPage twice", GET => "$V1?perPage=0&perPage=5", undef,
	    status => 422);
	$add->("$V1 ?page and ?Page", GET => "$V1?page=x&Page=1", undef,
	    status => 400);
	$add->('/api/codes ?limit without =', GET => '/api/codes?limit', undef,
	    status => 400);
	$add->('/api/codes ?limit of 5000 digits', GET => '/api/codes?limit='
	    . ('9' x 5000), undef, status => 400);
	for my $t ('foo', 'QR', '%00', 'qr%00', '%ff', 'qr%20', 'x' x 3000) {
		$add->("/api/codes ?type=" . substr($t, 0, 20), GET =>
		    "/api/codes?type=$t", undef, status => 422);
	}
	# Colours, formats and dates in queries.
	my $img = "$V1/$D/image";
	for my $q ('format=gif', 'format=PNG', 'format=svg%00', 'format=' . 'x' x 500,
	    'format=%ff', 'color=GGGGGG', 'color=%23GGGGGG', 'color=transparent',
	    'color=12345', 'color=1234567', 'color=' . 'a' x 100, 'color=%00',
	    'backgroundColor=red', 'backgroundColor=%ff', 'backgroundColor=%23',
	    'color=000000&backgroundColor=000000') {
		$add->("image ?" . substr($q, 0, 40), GET => "$img?$q", undef,
		    status => 422);
	}
	for my $route ("$V1/$D/scans", "$V1/$D/stats") {
		for my $q ('from=2024-13-01', 'from=abc', 'to=2024-02-30',
		    'from=2025-01-01&to=2024-01-01', 'from=%00', 'from=' . '1' x 100,
		    'to=9999-99-99', 'from=1e400', 'from=2024-01-01T00:00:00+25:00',
		    'from=2024-01-01T24:00:00Z', 'to=-2024-01-01', 'from=%ff') {
			$add->("$route ?" . substr($q, 0, 40), GET => "$route?$q", undef,
			    status => $q =~ /2025-01-01&to/ ? 422 : 400);
		}
	}

	# -- Lengths: bytes and characters ----------------------------------
	$group = 'lengths';
	my %long_name = ('201 ASCII' => 'n' x 201, '201 of 2-byte' => "\x{e9}" x 201,
	    '201 of 3-byte' => "\x{20ac}" x 201, '201 of 4-byte' => "\x{1f600}" x 201,
	    '101 e + combining acute (202)' => "e\x{301}" x 101,
	    '5000 of 4-byte' => "\x{1f600}" x 5000);
	for my $f (grep { $_->[4] =~ /^(name|title)$/ } @fields) {
		for my $k (sort keys %long_name) {
			$add->("$f->[0] of $k characters", $f->[1], $f->[2],
			    with_raw($f->[3], $f->[4], jstr($long_name{$k})),
			    status => 422, asan => 1);
		}
	}
	# 200 characters of 4 bytes are fine, so something else must be
	# wrong: the name is copied first (its buffer's exact size).
	my $n200 = "\x{1f600}" x 200;
	$add->('generate: 200 4-byte name, empty data', POST => $G,
	    $J->encode({ %gen, name => $n200, data => '' }), status => 422, asan => 1);
	$add->('PUT: 200 4-byte name, bad isActive', PUT => "/api/codes/$c->{S}",
	    $J->encode({ name => $n200, isActive => 'no' }), status => 400, asan => 1);
	$add->('v1 create: 200 4-byte title, no payload', POST => $V1,
	    $J->encode({ type => 'url', title => $n200 }), status => 400, asan => 1);
	$add->('PATCH: 200 4-byte title, bad active', PATCH => "$V1/$c->{D}",
	    $J->encode({ title => $n200, active => 1 }), status => 400, asan => 1);
	my %long_data = ('4097 ASCII' => 'x' x 4097,
	    '2049 2-byte (4098 bytes)' => "\x{e9}" x 2049,
	    '1366 3-byte (4098 bytes)' => "\x{20ac}" x 1366,
	    '1025 4-byte (4100 bytes)' => "\x{1f600}" x 1025,
	    '1024 4-byte (4096 bytes, too much for QR)' => "\x{1f600}" x 1024,
	    '60000 ASCII' => 'x' x 60000);
	my $data_fields = qr/^(generate\ data|PUT\ data|PUT\ targetData|
	    v1\ create\ payload.text|PATCH\ text\ destination)$/x;
	for my $f (grep { $_->[0] =~ $data_fields } @fields) {
		for my $k (sort keys %long_data) {
			# 4,096 bytes are a valid destination: no image to fit.
			next if $f->[0] eq 'PUT targetData' && $k =~ /^1024 /;
			$add->("$f->[0] of $k", $f->[1], $f->[2],
			    with_raw($f->[3], $f->[4], jstr($long_data{$k})),
			    status => 422, asan => 1);
		}
	}
	my $url = 'https://a.example/';
	my %long_url = ('2049 ASCII characters' => $url . 'a' x 2031,
	    '9000 ASCII characters' => $url . 'a' x 8982);
	my $url_fields = qr/^(PUT\ targetUrl|PATCH\ destination|
	    v1\ create\ payload.url|webhook\ url|webhook\ PATCH\ url)$/x;
	for my $f (grep { $_->[0] =~ $url_fields } @fields) {
		for my $k (sort keys %long_url) {
			$add->("$f->[0] of $k", $f->[1], $f->[2],
			    with_raw($f->[3], $f->[4], jstr($long_url{$k})),
			    status => 422, asan => 1);
		}
	}
	$add->("generate dynamic data of $_", POST => $G, $J->encode({ type => 'qr',
	    isDynamic => $T, data => $long_url{$_} }), status => 422, asan => 1)
	    for sort keys %long_url;
	# Webhook URLs: 2,048 characters that are 6,000+ bytes.
	$add->("$_->[0] of 2048 characters in 6108 bytes", $_->[1], $_->[2],
	    with_raw($_->[3], 'url', jstr('http://127.0.0.1:9/' . "\x{20ac}" x 2029)),
	    status => 422, asan => 1)
	    for grep { $_->[0] =~ /^webhook (PATCH )?url$/ } @fields;

	# -- Invalid and overlong UTF-8, raw in the body ---------------------
	$group = 'utf8';
	my @bad_utf8 = (['0xff', "\xff"], ['0xfe 0xff', "\xfe\xff"],
	    ['overlong / in 2', "\xc0\xaf"], ['overlong DEL in 2', "\xc1\xbf"],
	    ['overlong / in 3', "\xe0\x80\xaf"], ['overlong / in 4', "\xf0\x80\x80\xaf"],
	    ['truncated 2-byte', "\xc3"], ['truncated euro', "\xe2\x82"],
	    ['lone continuation', "\x80"], ['CESU high surrogate', "\xed\xa0\x80"],
	    ['CESU pair', "\xed\xa0\xbd\xed\xb8\x80"],
	    ['past U+10FFFF', "\xf4\x90\x80\x80"], ['5-byte form', "\xf8\x88\x80\x80\x80"],
	    ['6-byte form', "\xfc\x84\x80\x80\x80\x80"]);
	for my $f (@fields) {
		for my $u (@bad_utf8) {
			$add->("$f->[0] + $u->[0]", $f->[1], $f->[2],
			    field_body($f, '"' . $f->[5] . $u->[1] . '"'),
			    status => 400, code => 'invalid_json',
			    asan => $ASAN_FIELD{$f->[0]});
		}
	}
	for my $u (@bad_utf8) {
		$add->("member name with $u->[0]", POST => $G,
		    with_member(\%gen, "\"type$u->[1]\"", '"qr"'), status => 400,
		    code => 'invalid_json', asan => 1);
	}

	# -- Surrogates: escaped lone ones are refused naming the field -------
	$group = 'surrogates';
	my @lone = ('\ud800', '\udbff', '\udc00', '\udfff', '\ud800\u0041',
	    '\ud800\ud800', '\udc00\ud800', '\ud800x', '\uD83D', '\ud83d\u0020\ude00');
	for my $f (@fields) {
		for my $s (@lone) {
			$add->("$f->[0] + $s", $f->[1], $f->[2],
			    field_body($f, '"' . $f->[5] . $s . '"'), status => 400,
			    code => 'invalid_field',
			    message => qr/^\Q$f->[4]\E is not valid Unicode text/,
			    asan => $ASAN_FIELD{$f->[0]});
		}
	}
	$add->("member name with $_", POST => $G, with_member(\%gen, "\"type$_\"",
	    '"qr"'), status => 400, code => 'invalid_field', asan => 1)
	    for @lone[0 .. 3];

	# -- NUL: escaped and raw ---------------------------------------------
	$group = 'nul';
	for my $f (@fields) {
		$add->("$f->[0] + \\u0000", $f->[1], $f->[2],
		    field_body($f, '"' . $f->[5] . '\u0000x"'), status => 400,
		    code => 'invalid_field', asan => 1);
		$add->("$f->[0] + raw NUL", $f->[1], $f->[2],
		    field_body($f, '"' . $f->[5] . "\0x\""), status => 400,
		    code => 'invalid_json', asan => 1);
	}
	$add->('member name "type\u0000x"', POST => $G,
	    '{"type\u0000x":"qr","data":"x","saveToLibrary":true}', status => 400,
	    asan => 1);
	$add->('member "type\u0000" hides a duplicate', POST => $G,
	    '{"type":"barcode","type\u0000":"qr","data":"x","saveToLibrary":true}',
	    status => 400, asan => 1);
	$add->('NUL before the body', POST => $G, "\0" . $J->encode(\%gen),
	    status => 400, asan => 1);
	$add->('NUL after the body', POST => $G, $J->encode(\%gen) . "\0",
	    status => 400, asan => 1);
	$add->('NUL between members', POST => $G,
	    with_member(\%gen, "\0\"a\"", '1'), status => 400, asan => 1);

	# -- Body shapes and nesting -----------------------------------------
	$group = 'shapes';
	my @json_routes = (['generate', POST => $G], ['v1 create', POST => $V1],
	    ['PUT', PUT => "/api/codes/$c->{S}"], ['PATCH', PATCH => "$V1/$c->{D}"],
	    ['token create', POST => $TOKENS], ['webhook create', POST => $WH],
	    ['webhook PATCH', PATCH => "$WH/$c->{W}"]);
	my @shapes = (['array', '[]'], ['null', 'null'], ['string', '"x"'],
	    ['number', '123'], ['true', 'true'], ['empty', ''], ['spaces', " \n\t "],
	    ['{', '{'], ['}', '}'], ['two objects', '{"a":1}{"a":2}'],
	    ['garbage after', '{"a":1} x'], ['BOM', "\xef\xbb\xbf{\"a\":1}"],
	    ['trailing comma', '{"a":1,}'], ['comment', '{/* c */"a":1}'],
	    ['line comment', "{\"a\":1 // c\n}"], ['single quotes', "{'a':1}"],
	    ['NaN', '{"a":NaN}'], ['Infinity', '{"a":Infinity}'],
	    ['-Infinity', '{"a":-Infinity}'], ['hex number', '{"a":0x10}'],
	    ['leading zero', '{"a":012}'], ['plus sign', '{"a":+1}'],
	    ['bare fraction', '{"a":.5}'], ['bare dot', '{"a":1.}'], ['bare e', '{"a":1e}'],
	    ['--1', '{"a":--1}'], ['raw control char', "{\"a\":\"x\x01y\"}"],
	    ['raw newline in string', "{\"a\":\"x\ny\"}"], ['bad escape \x', '{"a":"\x41"}'],
	    ['short \u', '{"a":"\u12"}'], ['\U', '{"a":"\U0041"}'], ["\\'", q({"a":"\\'"})],
	    ['unquoted name', '{a:1}'], ['missing colon', '{"a" 1}'],
	    ['missing value', '{"a":}'], ['undefined', '{"a":undefined}'],
	    ['True', '{"a":True}'], ['unclosed string', '{"a":"x}'],
	    ['65 members', '{' . join(',', map { "\"k$_\":1" } 1 .. 65) . '}'],
	    ['1000 members', '{' . join(',', map { "\"k$_\":1" } 1 .. 1000) . '}'],
	    ['64 KiB + 1', '{"a":"' . ('x' x 65531) . '"}'],
	    ['1 MiB + 1', '{"a":"' . ('x' x 1048571) . '"}']);
	for my $r (@json_routes) {
		for my $s (@shapes) {
			$add->("$r->[0] body: $s->[0]", $r->[1], $r->[2], $s->[1],
			    status => $s->[0] =~ /iB \+ 1/ ? 413 : 400,
			    asan => $s->[0] =~ /members|KiB|BOM|control/ ? 1 : 0);
		}
	}
	$group = 'nesting';
	for my $r (@json_routes) {
		my @n = (['17 objects', '{"a":' x 17 . '1' . '}' x 17],
		    ['17 arrays under a member', '{"a":' . '[' x 16 . ']' x 16 . '}'],
		    ['[ x 30000', '[' x 30000 . ']' x 30000],
		    ['{"a": x 10000', '{"a":' x 10000 . '1' . '}' x 10000],
		    ['unclosed [ x 30000', '{"a":' . '[' x 30000],
		    ['{[ alternating x 5000', '{"a":[' x 5000 . '1' . ']}' x 5000]);
		$add->("$r->[0]: $_->[0]", $r->[1], $r->[2], $_->[1], status => 400,
		    code => 'invalid_json', asan => 1) for @n;
	}
	$add->("generate: 17 levels in customization", POST => $G,
	    with_raw(\%gen, 'customization', '{"a":' x 16 . '1' . '}' x 16),
	    status => 400, asan => 1);
	$add->("v1 create: 17 levels in payload", POST => $V1,
	    with_raw({ v1_base() }, 'payload', '{"url":' x 16 . '"x"' . '}' x 16),
	    status => 400, asan => 1);
	$add->("webhook create: 17 levels in events", POST => $WH,
	    with_raw({ wh_base() }, 'events', '[' x 17 . '"scan"' . ']' x 17),
	    status => 400, asan => 1);

	# -- Duplicate members, also spelt with escapes ------------------------
	$group = 'duplicates';
	my $esc = sub { join '', map { sprintf '\u%04x', ord } split //, $_[0] };
	my @spell = (['same', sub { $_[0] }],
	    ['first letter escaped', sub { $esc->(substr $_[0], 0, 1)
	    . substr($_[0], 1) }],
	    ['last letter escaped, upper-case hex', sub { substr($_[0], 0, -1)
	    . sprintf('\u%04X', ord substr $_[0], -1) }],
	    ['all escaped', $esc]);
	for my $d (['generate', POST => $G, \%gen, qw(type data name format
	    saveToLibrary isDynamic customization)],
	    ['v1 create', POST => $V1, { v1_base() }, qw(type mode title payload)],
	    ['PUT', PUT => "/api/codes/$c->{S}", { name => 'a', isActive => $T },
	    qw(name isActive)],
	    ['PATCH', PATCH => "$V1/$c->{D}", { title => 'a', active => $T },
	    qw(title active)],
	    ['token create', POST => $TOKENS, { name => 'dup' }, 'name'],
	    ['webhook create', POST => $WH, { wh_base() }, qw(url events)],
	    ['webhook PATCH', PATCH => "$WH/$c->{W}", { active => $T }, 'active']) {
		my ($label, $m, $t, $base, @names) = @$d;
		for my $n (@names) {
			for my $sp (@spell) {
				my $v = $J->encode([$base->{$n}]) =~ s/^\[|\]$//gr;
				$add->("$label: $n twice ($sp->[0])", $m, $t,
				    with_member($base, '"' . $sp->[1]->($n) . '"', $v),
				    status => 400, code => 'invalid_json',
				    message => qr/appears twice/,
				    asan => $sp->[0] eq 'all escaped' ? 1 : 0);
			}
		}
	}
	$add->('generate: customization.size twice', POST => $G,
	    with_raw(\%gen, 'customization', '{"size":100,"s\u0069ze":200}'),
	    status => 400);
	$add->('v1 create: payload.url twice', POST => $V1, with_raw({ v1_base() },
	    'payload', '{"url":"https://a.example/","\u0075rl":"https://b.example/"}'),
	    status => 400);
	$add->('generate: "\/" spelling of an unknown name twice', POST => $G,
	    with_member(\%gen, '"a\/b"', '1') =~ s/^\{/{"a\/b":2,/r, status => 400);
	$add->('generate: raw and escaped U+00E9 name', POST => $G,
	    with_member(\%gen, "\"\xc3\xa9\"", '1') =~ s/^\{/{"\\u00e9":2,/r,
	    status => 400);

	# -- Ids that are not ids, paths that are not paths ------------------
	$group = 'paths';
	my %bad_id = ('abc' => 'abc', '%00' => '%00', 'a%00b' => 'a%00b',
	    '%2F' => '%2F', '..%2F..%2Fetc' => '..%2F..%2Fetc', '%2e%2e' => '%2e%2e',
	    '15 base62' => 'A' x 15, '17 base62' => 'A' x 17,
	    '16 with a dash' => 'A' x 15 . '-', '16 with %20' => 'A' x 13 . '%20',
	    '256 bytes' => 'a' x 256, '257 bytes' => 'a' x 257,
	    '2040 bytes' => 'a' x 2040, '5000 bytes' => 'a' x 5000,
	    'SQL' => "%27%20OR%201%3D1%20--%20", '%25' => '%25', '%zz' => '%zz',
	    'unknown 16 base62' => 'Z' x 16, 'a webhook id' => $c->{W},
	    '16 x %41' => '%41' x 16);
	# nginx refuses these itself (400); straight to qre-fcgi they are 404s.
	my %nginx_refuses = map { $_ => 1 } ('%00', 'a%00b', '%zz');
	my @id_routes = (['GET code', GET => '/api/codes/%s'],
	    ['PUT code', PUT => '/api/codes/%s', '{"name":"x"}'],
	    ['DELETE code', DELETE => '/api/codes/%s'],
	    ['GET v1 code', GET => "$V1/%s"],
	    ['PATCH v1 code', PATCH => "$V1/%s", '{"title":"x"}'],
	    ['DELETE v1 code', DELETE => "$V1/%s"],
	    ['image', GET => "$V1/%s/image"], ['scans', GET => "$V1/%s/scans"],
	    ['stats', GET => "$V1/%s/stats"],
	    ['GET webhook', GET => "$WH/%s"],
	    ['PATCH webhook', PATCH => "$WH/%s", '{"active":false}'],
	    ['DELETE webhook', DELETE => "$WH/%s"],
	    ['test webhook', POST => "$WH/%s/test"],
	    ['deliveries', GET => "$WH/%s/deliveries"],
	    ['delivery', GET => "$WH/%s/deliveries/AAAAAAAAAAAAAAAA"],
	    ['retry', POST => "$WH/%s/deliveries/AAAAAAAAAAAAAAAA/retry"]);
	for my $r (@id_routes) {
		my ($label, $m, $pattern, $body) = @$r;
		for my $k (sort keys %bad_id) {
			next if $k eq 'a webhook id' && $label =~ /webhook|deliver|retry/;
			my $id = $bad_id{$k};
			$add->("$label /$k", $m, sprintf($pattern, $id), $body,
			    status => $nginx_refuses{$k} ? undef : 404,
			    asan => length($id) > 200 ? 1 : 0);
		}
	}
	for my $k ('unknown', '%00', 'a%00b', 'victim%00', 'VICTIM', '%2F',
	    'x' x 256, 'x' x 257, 'x' x 5000, '%zz') {
		$add->("revoke token /" . substr($k, 0, 20), DELETE => "$TOKENS/$k", undef,
		    status => $k =~ /%00|%zz/ ? undef : 404, asan => 1);
	}
	for my $d ('x', 'A' x 17, 'A' x 15 . '%00', 'a' x 300, '..%2F..%2F', '%2F') {
		$add->("retry: delivery id " . substr($d, 0, 20), POST =>
		    "$WH/$c->{W}/deliveries/$d/retry", undef,
		    status => $d =~ /%00/ ? undef : 404, asan => 1);
		$add->("delivery: id " . substr($d, 0, 20), GET =>
		    "$WH/$c->{W}/deliveries/$d", undef,
		    status => $d =~ /%00/ ? undef : 404, asan => 1);
	}
	# The other account's objects, by their real ids.
	for my $r (['GET code', GET => "/api/codes/$c->{OS}"],
	    ['PUT code', PUT => "/api/codes/$c->{OS}", '{"name":"mine"}'],
	    ['DELETE code', DELETE => "/api/codes/$c->{OS}"],
	    ['GET v1 code', GET => "$V1/$c->{OD}"],
	    ['PATCH v1 code', PATCH => "$V1/$c->{OD}", '{"active":false}'],
	    ['DELETE v1 code', DELETE => "$V1/$c->{OD}"],
	    ['image', GET => "$V1/$c->{OD}/image"], ['scans', GET => "$V1/$c->{OD}/scans"],
	    ['stats', GET => "$V1/$c->{OD}/stats"], ['GET webhook', GET => "$WH/$c->{OW}"],
	    ['PATCH webhook', PATCH => "$WH/$c->{OW}", '{"active":false}'],
	    ['DELETE webhook', DELETE => "$WH/$c->{OW}"],
	    ['test webhook', POST => "$WH/$c->{OW}/test"],
	    ['deliveries', GET => "$WH/$c->{OW}/deliveries"],
	    ['delivery', GET => "$WH/$c->{OW}/deliveries/AAAAAAAAAAAAAAAA"]) {
		$add->("another account's: $r->[0]", $r->[1], $r->[2], $r->[3],
		    status => 404);
	}
	# Routes that do not exist (paths nginx passes on, under /api/).
	for my $p ('/api/', '/api/codes/', '/api/v1/', '/api/v1/codes/', '/api/v2/codes',
	    '/api/CODES', '/api/codes/generate/x', "/api/codes/$c->{S}/x",
	    "$V1/$c->{D}/image/x", "$V1/$c->{D}/scans/", "$WH/$c->{W}/deliveries/x/y",
	    "$WH/$c->{W}/test/", '/api/tokens/a/b', '/api//codes', '/api/codes//x',
	    '/api/codes;x', '/api/codes%2Fgenerate', '/api/' . 'x' x 3000,
	    '/api/codes/../tokens', '/api/v1/codes/../../tokens', "/api/codes/./$c->{S}",
	    '/api/codes/%2e%2e/tokens', "/api/codes/x/..%2F$c->{S}",
	    "/api/v1/codes/$c->{D}/image/../scans") {
		$add->("unknown route " . substr($p, 0, 40), GET => $p, undef,
		    status => 404, asan => length($p) > 200 ? 1 : 0);
	}

	# -- Authorization ---------------------------------------------------
	$group = 'auth';
	my $tok = $c->{token};
	my @bad_auth = (['none', undef], ['empty', ''], ['Bearer', 'Bearer'],
	    ['Bearer and space', 'Bearer '], ['Basic', 'Basic dXNlcjpwYXNz'],
	    ['Token scheme', "Token $tok"], ['no scheme', $tok],
	    ['short token', 'Bearer qre_short'],
	    ['129 random characters', 'Bearer qre_' . 'A' x 129],
	    ['unknown', 'Bearer qre_' . 'A' x 40], ['one more character', "Bearer ${tok}x"],
	    ['one less character', 'Bearer ' . substr($tok, 0, -1)],
	    ['last character changed', 'Bearer ' . substr($tok, 0, -1)
	    . (substr($tok, -1) eq 'a' ? 'b' : 'a')],
	    ['a second word', "Bearer $tok extra"], ['qrx_ prefix', 'Bearer qrx_'
	    . substr($tok, 4)], ['revoked', "Bearer $c->{revoked}"],
	    ['8-bit bytes', 'Bearer qre_' . "\xff" x 40],
	    ['tab inside', "Bearer qre_\t" . substr($tok, 4)]);
	my @auth_routes = (['generate', POST => $G, $J->encode(\%gen)],
	    ['list codes', GET => '/api/codes'],
	    ['delete a code', DELETE => "/api/codes/$c->{S}"],
	    ['PATCH a code', PATCH => "$V1/$c->{D}", '{"active":false}'],
	    ['create a webhook', POST => $WH, $J->encode({ wh_base() })],
	    ['revoke a token', DELETE => "$TOKENS/victim"],
	    ['create a token', POST => $TOKENS, '{"name":"intruder"}'],
	    ['scans', GET => "$V1/$D/scans"],
	    ['test a webhook', POST => "$WH/$c->{W}/test"]);
	for my $r (@auth_routes) {
		for my $a (@bad_auth) {
			$add->("$r->[0] with $a->[0] Authorization", $r->[1], $r->[2],
			    $r->[3], status => 401, code => 'unauthorized',
			    asan => $a->[0] =~ /129|8-bit|tab/ ? 1 : 0,
			    headers => [defined $a->[1] ? ['Authorization', $a->[1]] : (),
			    defined $r->[3] ? $json : ()]);
		}
	}

	# -- Content types ---------------------------------------------------
	$group = 'content-type';
	my @ctypes = ('text/plain', 'application/x-www-form-urlencoded',
	    'multipart/form-data; boundary=x', 'application/jsonx', 'application/json5',
	    'application/json-patch+json', 'text/json', 'json', '',
	    'application/vnd.api+json', 'application/json,text/plain',
	    'application/xml', undef);
	my @valid_bodies = (['generate', POST => $G, $J->encode(\%gen)],
	    ['v1 create', POST => $V1, $J->encode({ v1_base() })],
	    ['PUT', PUT => "/api/codes/$c->{S}", '{"name":"renamed"}'],
	    ['PATCH', PATCH => "$V1/$c->{D}", '{"active":false}'],
	    ['token create', POST => $TOKENS, '{"name":"by content type"}'],
	    ['webhook create', POST => $WH, $J->encode({ wh_base() })]);
	for my $r (@valid_bodies) {
		for my $ct (@ctypes) {
			$add->("$r->[0] as " . ($ct // 'no Content-Type'), $r->[1], $r->[2],
			    $r->[3], status => 415, headers => [$auth,
			    defined $ct ? ['Content-Type', $ct] : ()]);
		}
	}

	# -- Lengths in headers, transfer encodings, the request line -----------
	$group = 'framing';
	my $short = '{"type":"qr"}';	# data is missing: bad whether cut or not
	# [what, headers, only HTTP can say it, the body if not $short]
	my @framing = (['Content-Length 5 for a longer body', [['Content-Length', 5]]],
	    ['Content-Length 0 with a body', [['Content-Length', 0]]],
	    ['Content-Length -1', [['Content-Length', -1]]],
	    ['Content-Length abc', [['Content-Length', 'abc']]],
	    ['Content-Length 1e3', [['Content-Length', '1e3']]],
	    ['Content-Length 99999999999999999999', [['Content-Length', '9' x 20]]],
	    ['Content-Length 9999999999', [['Content-Length', '9999999999']]],
	    ['two Content-Lengths', [['Content-Length', length $short],
	    ['Content-Length', 3]], 1],
	    ['chunked', [['Transfer-Encoding', 'chunked']], 1,
	    sprintf("%x\r\n%s\r\n0\r\n\r\n", length $short, $short)],
	    ['chunked and a Content-Length', [['Transfer-Encoding', 'chunked'],
	    ['Content-Length', 3]], 1, "5\r\n{\"a\":\r\n0\r\n\r\n"],
	    ['chunked with a bad size', [['Transfer-Encoding', 'chunked']], 1,
	    "zz\r\n{}\r\n0\r\n\r\n"],
	    ['chunked with a huge size', [['Transfer-Encoding', 'chunked']], 1,
	    "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n"]);
	for my $f (@framing) {
		my ($name, $h, $http_only, $body) = @$f;
		$add->("generate: $name", POST => $G, $body // $short,
		    headers => [$auth, $json, @$h], http_only => $http_only,
		    asan => 1);
	}
	# Through FastCGI only: a body shorter than its CONTENT_LENGTH (nginx
	# would wait for the rest).
	$add->('generate: CONTENT_LENGTH past the body', POST => $G, $short,
	    headers => [$auth, $json, ['Content-Length', 100]], fcgi_only => 1,
	    asan => 1);
	$add->('generate: CONTENT_LENGTH 65536 past the body', POST => $G, $short,
	    headers => [$auth, $json, ['Content-Length', 65536]], fcgi_only => 1,
	    asan => 1);
	my $raw = sub {
		my ($name, $line, %o) = @_;
		$add->($name, $line =~ /^(\S*)/, $line, undef, http_only => 1,
		    raw_line => $line, headers => [$auth], %o);
	};
	$raw->('lower-case method', 'get /api/codes HTTP/1.1', status => 400);
	$raw->('no Host header', 'GET /api/codes?limit=0 HTTP/1.1', no_host => 1,
	    status => 400);
	$raw->('two Host headers', 'GET /api/codes?limit=0 HTTP/1.1',
	    headers => [$auth, ['Host', 'b']], status => 400);
	$raw->('request line with a NUL', "GET /api/codes\0x HTTP/1.1", status => 400);
	$raw->('OPTIONS *', 'OPTIONS * HTTP/1.1', status => 400);
	$raw->('two Authorization headers', 'GET /api/codes?limit=0 HTTP/1.1',
	    headers => [$auth, ['Authorization', 'Bearer qre_' . 'A' x 40]],
	    status => 400);
	$raw->('header with a NUL', 'GET /api/codes?limit=0 HTTP/1.1',
	    headers => [$auth, ['X-Hostile', "a\0b"]], status => 400);
	# nginx drops the line; the bad limit stays.
	$raw->('header without a colon', 'GET /api/codes?limit=0 HTTP/1.1',
	    headers => [$auth, ['X-Hostile-No-Colon', undef]], status => 422);
	$raw->('HTTP/1.0 and a bad limit', 'GET /api/codes?limit=0 HTTP/1.0',
	    status => 422);
	$raw->('absolute URI and a bad limit', 'GET http://localhost/api/codes?limit=0 HTTP/1.1',
	    status => 422);

	# -- Methods a route does not have ----------------------------------
	$group = 'methods';
	my %allowed = ('/healthz' => 'GET', $G => 'POST', '/api/codes' => 'GET',
	    "/api/codes/$c->{S}" => 'GET PUT DELETE', $TOKENS => 'GET POST',
	    "$TOKENS/nosuch" => 'DELETE', $V1 => 'GET POST',
	    "$V1/$c->{D}" => 'GET PATCH DELETE', "$V1/$c->{D}/image" => 'GET',
	    "$V1/$c->{D}/scans" => 'GET', "$V1/$c->{D}/stats" => 'GET',
	    $WH => 'GET POST', "$WH/$c->{W}" => 'GET PATCH DELETE',
	    "$WH/$c->{W}/test" => 'POST', "$WH/$c->{W}/deliveries" => 'GET',
	    "$WH/$c->{W}/deliveries/AAAAAAAAAAAAAAAA" => 'GET',
	    "$WH/$c->{W}/deliveries/AAAAAAAAAAAAAAAA/retry" => 'POST');
	for my $path (sort keys %allowed) {
		for my $m (qw(GET POST PUT PATCH DELETE OPTIONS PROPFIND FOO)) {
			next if " $allowed{$path} " =~ / $m /;
			# "GET|PUT|DELETE /api/codes/generate" is the :id route: 404.
			my $status = $path eq $G && $m =~ /^(GET|PUT|DELETE)$/ ?
			    404 : 405;
			$add->("$m $path", $m, $path, $m =~ /^(POST|PUT|PATCH)$/ ?
			    $J->encode(\%gen) : undef, status => $status);
		}
	}
	$add->('a 100-letter method', 'A' x 100, '/api/codes', undef, status => 405);

	# -- Every barcode format with bad data --------------------------------
	$group = 'barcodes';
	my %bad_data = (
		QR => ['x' x 4096, "\x01" x 3000],
		MICROQR => ['1' x 36, 'A' x 22, 'a' x 16],
		DATAMATRIX => ['x' x 3200, "\x01" x 2000],
		AZTEC => ['x' x 4096, "\x{e9}" x 2000],
		PDF417 => ['x' x 2000, '1' x 3000],
		MICROPDF417 => ['x' x 300, '1' x 400],
		MAXICODE => ['A' x 94, 'x' x 200, '1' x 200],
		CODE128 => ['x' x 4096, 'x' x 161],
		CODE39 => ['abc', 'A@B', 'A' x 86, 'A_B'],
		CODE93 => ['x' x 300, "\x{e9}"],
		CODE11 => ['12A', '1 2', '1' x 200],
		CODABAR => ['A123', 'X123X', 'A12E4B', '123', 'A' . '1' x 200 . 'B'],
		EAN13 => ['59012341234X', '12345678901', '12345678901234',
		    '5901234123458', "\x{ff11}" x 12],
		EAN8 => ['123456', '123456789', '12345678', 'ABCDEFG'],
		UPCA => ['1234567890', '1234567890123', '123456789013', 'A2345678901'],
		UPCE => ['2123456', '123456', '123456789', '01234566', 'A123456'],
		ITF14 => ['123456789012', '123456789012345', '12345678901230',
		    '1234567890123A'],
		ITF => ['123', '12A4', '1' x 201],
		MSI => ['12A', '1-2', '1' x 200],
		GS1_128 => ['01234', '[99]', '(01)123', '[01]12345678901234',
		    '[01]1234567890123X', '[]'],
		DATABAR_OMNI => ['123456789012', '123456789012345', '12345678901230',
		    'A234567890123'],
		DATABAR_LIMITED => ['2234567890123', '123456789012', '12345678901230',
		    'A234567890123'],
		DATABAR_STACKED => ['123456789012', '123456789012345', '12345678901230',
		    'abc'],
		DATABAR_STACKED_OMNI => ['123456789012', '123456789012345',
		    '12345678901230', 'abc'],
		DATABAR_EXPANDED => ['abc', '[01]1', '(01)123', '[99]' . '1' x 200,
		    '[01]12345678901230'],
		DATABAR_EXPANDED_STACKED => ['abc', '[01]1', '(01)123',
		    '[99]' . '1' x 200],
	);
	my $i = 0;
	for my $fmt (sort keys %bad_data) {
		for my $d (@{ $bad_data{$fmt} }, '') {
			# png and svg, saved or not, in turn
			my %b = (type => 'barcode', barcodeFormat => $fmt, data => $d,
			    format => $i % 2 ? 'svg' : 'png', saveToLibrary =>
			    $i % 3 ? $T : $F);
			my $shown = length $d > 16 ? substr($d, 0, 8) . '...(' . length($d)
			    . ')' : $d;
			$add->("$fmt $b{format} " . ($b{saveToLibrary} ? 'saved ' : '')
			    . "'$shown'", POST => $G, $J->encode(\%b), status => 422,
			    asan => length $d > 1000 ? 1 : 0);
			$i++;
		}
	}
	for my $d ('59012341234X', '12345678901', '5901234123458', '', ' ' x 12,
	    "\x{ff11}" x 12, 'x' x 4096) {
		$add->("PUT EAN-13 data '" . substr($d, 0, 16) . "'", PUT =>
		    "/api/codes/$c->{B}", $J->encode({ data => $d }), status => 422);
	}
	$add->("generate barcodeFormat $_", POST => $G, $J->encode({ bar_base(),
	    barcodeFormat => $_ }), status => 422)
	    for ('FOO', 'code-128', 'CODE128 ', ' CODE128', 'EAN', 'X' x 40, 'X' x 5000,
	    "CODE128\x{e9}");

	# -- The public short-code path ----------------------------------------
	$group = 'redirect';
	my $flip = $c->{D_short} =~ tr/a-zA-Z/A-Za-z/r;
	for my $p (['unknown', '/AAAAAAA', 404], ['unknown, digits', '/0000000', 404],
	    ['6 characters', '/AAAAAA', 404], ['8 characters', '/AAAAAAAA', 404],
	    ['16 characters', '/' . 'A' x 16, 404], ['17 characters', '/' . 'A' x 17, 404],
	    ['a real one with a letter more', "/$c->{D_short}x", 404],
	    ['a real one less a letter', '/' . substr($c->{D_short}, 0, 6), 404],
	    $flip eq $c->{D_short} ? () : ['a real one in flipped case', "/$flip", 404],
	    ['percent-encoded letter', '/%41AAAAAA', 404],
	    ['with %00', '/AAAAAA%00', undef], ['with a dash', '/AAA-AAA', 404],
	    ['with a slash after', '/AAAAAAA/', 404], ['with .html', '/AAAAAAA.html', 404],
	    ['%2e%2e', '/%2e%2e', undef], ['a%2Fb', '/a%2Fb', 404],
	    ['raw UTF-8', "/\xc3\xa9", 404], ['%C3%A9', '/%C3%A9', 404],
	    ['%ff', '/%ff', 404], ['query', '/AAAAAAA?x=../../etc', 404],
	    ['long', '/' . 'A' x 3000, undef],
	    ['inactive', "/$c->{I_short}", 410], ['inactive with a query',
	    "/$c->{I_short}?utm=x", 410]) {
		$add->("GET $p->[0]", GET => $p->[1], undef, expect => 'page',
		    status => $p->[2], headers => [], asan => length $p->[1] > 100);
	}
	$add->('HEAD unknown', HEAD => '/AAAAAAA', undef, expect => 'page',
	    status => 404, headers => []);
	$add->('HEAD inactive', HEAD => "/$c->{I_short}", undef, expect => 'page',
	    status => 410, headers => []);
	$add->("$_ a short code", $_, '/AAAAAAA', undef, status => 405, headers => [])
	    for qw(POST PUT PATCH DELETE OPTIONS);

	# -- HTTPS, the way users come in (a few: the per-key limit applies) ----
	$group = 'https';
	$add->('no token', POST => $V1, $J->encode({ v1_base() }), https => 1,
	    status => 401, headers => [$json]);
	$add->('unknown token', GET => '/api/codes', undef, https => 1, status => 401,
	    headers => [['Authorization', 'Bearer qre_' . 'B' x 40]]);
	$add->('lone surrogate', POST => $V1,
	    field_body(field(\@fields, 'v1 create title'), '"over https \udc00"'),
	    https => 1, status => 400, code => 'invalid_field');
	$add->('invalid UTF-8', POST => $G,
	    field_body(field(\@fields, 'generate name'), qq("over https \xc0\xaf")),
	    https => 1, status => 400);
	$add->('65 KiB body', POST => $G, '{"a":"' . ('x' x 66560) . '"}', https => 1,
	    status => 413);
	$add->('nesting bomb', POST => $G, '[' x 32000 . ']' x 32000, https => 1,
	    status => 400);
	$add->('unknown short code', GET => '/ZZZZZZZ', undef, https => 1,
	    expect => 'page', status => 404, headers => []);
	$add->('wrong method', PURGE => '/api/tokens', undef, https => 1,
	    status => 405);

	# -- Known bug (issue 10, item 1; being fixed in main): URLs limited in
	#    characters but copied as bytes.  Until the fix is merged these crash
	#    a worker or store a code no read survives, so they run last.
	$group = 'url-bytes';
	my %url_bytes = ('1400 euro signs (4218 bytes)' => $url . "\x{20ac}" x 1400,
	    '1360 euro signs (4098 bytes)' => $url . "\x{20ac}" x 1360,
	    '2030 euro signs (2048 characters, 6108 bytes)' => $url . "\x{20ac}" x 2030,
	    '2030 4-byte characters (8138 bytes)' => $url . "\x{1f600}" x 2030,
	    '1000 ASCII and 1027 euro signs (4099 bytes)' => $url . 'a' x 1000
	    . "\x{20ac}" x 1027);
	for my $k (sort keys %url_bytes) {
		my $u = $url_bytes{$k};
		for my $r (['generate dynamic', POST => $G, { type => 'qr',
		    isDynamic => $T, data => $u }],
		    ['PUT targetUrl', PUT => "/api/codes/$c->{D}", { targetUrl => $u }],
		    ['v1 create dynamic', POST => $V1, { type => 'url', mode => 'dynamic',
		    payload => { url => $u } }],
		    ['v1 create static', POST => $V1, { type => 'url', mode => 'static',
		    payload => { url => $u } }],
		    ['PATCH destination', PATCH => "$V1/$c->{D}", { destination => $u }],
		    ['PATCH static destination', PATCH => "$V1/$c->{VU}",
		    { destination => $u }]) {
			$add->("$r->[0] of $k", $r->[1], $r->[2], $J->encode($r->[3]),
			    status => 422, asan => 1,
			    known => 'issue 10, 1: URL limited in characters, copied as bytes');
		}
	}

	# -- Found by this corpus (fixed): error messages quoting input as
	# invalid UTF-8, exact token names, nginx's own pages and refusals --
	$group = 'found';
	$add->('GET a code by a %ff id', GET => '/api/codes/%ff', undef,
	    status => 404, asan => 1);
	$add->('GET a code by a %C3 id', GET => "$V1/%C3", undef, status => 404);
	$add->('revoke token %ff%fe', DELETE => "$TOKENS/%ff%fe", undef,
	    status => 404);
	$add->('GET a webhook by a %ff id', GET => "$WH/%ff", undef, status => 404);
	$add->('GET a delivery by a %ff id', GET => "$WH/$c->{W}/deliveries/%ff",
	    undef, status => 404);
	$add->('GET a code by 39 ASCII + e-acute', GET => '/api/codes/' . 'a' x 39
	    . '%C3%A9', undef, status => 404);
	$add->('color cut inside a character', POST => $G, with_raw(\%gen,
	    'customization.color', jstr('x' . "\x{e9}" x 30)), status => 422);
	$add->('backgroundColor cut inside a character', POST => $G, with_raw(\%gen,
	    'customization.backgroundColor', jstr("\x{20ac}" x 20)), status => 422);
	$add->('barcodeFormat cut inside a character', POST => $G, $J->encode({
	    bar_base(), barcodeFormat => 'x' . "\x{e9}" x 20 }), status => 422);
	$add->('events item cut inside a character', POST => $WH, $J->encode({
	    wh_base(), events => ['x' . "\x{e9}" x 30] }), status => 422);
	$add->('retry: delivery id cut inside a character', POST =>
	    "$WH/$c->{W}/deliveries/" . 'a' x 39 . '%C3%A9/retry', undef,
	    status => 404);
	$add->('revoke token "victim " revokes "victim"', DELETE => "$TOKENS/victim%20",
	    undef, status => 404);
	$add->('CODE128 of a non-Latin-1 character', POST => $G, $J->encode({
	    bar_base(), data => "\x{1f600}" x 10 }), status => 422);
	$add->("GET $_", GET => $_, undef, expect => 'page', status => 404,
	    headers => [], code => 'not_found') for ('/', '/%2F', '/index.html');
	$raw->('TRACE', 'TRACE /api/codes HTTP/1.1', status => 405);
	$raw->('HTTP/2.0 on an HTTP/1 port', 'GET /api/codes HTTP/2.0', status => 400,
	    code => 'bad_request');
	$add->('Transfer-Encoding gzip', POST => $G, $short, headers => [$auth, $json,
	    ['Transfer-Encoding', 'gzip']], http_only => 1, status => 400,
	    code => 'bad_request');
	# nginx's 494, as 431 (docs/openapi.yaml).
	$add->('a 10 KB header', GET => '/api/codes?limit=0', undef, status => 431,
	    headers => [$auth, ['X-Hostile', 'x' x 10240]], http_only => 1,
	    code => 'bad_request');
	$add->('a 9 KB URI', GET => '/api/codes?limit=0&x=' . 'x' x 9216, undef,
	    status => 414, http_only => 1,
	    code => 'bad_request');

	return @out;
}

# ---------------------------------------------------------------------------
# Judging an answer.

my $STRICT = JSON::PP->new->utf8;

# undef when the answer is what a hostile request deserves, else why not.
sub verdict {
	my ($c, $res) = @_;
	return 'no answer (the connection closed or timed out)'
	    unless $res && defined $res->{status};
	my $st = $res->{status};
	return "status $st, not a 4xx" unless $st >= 400 && $st <= 499;
	return "status $st, not $c->{status}" if $c->{status} && $st != $c->{status};
	my $ct = $res->{headers}{'content-type'} // '';
	my $body = $res->{body} // '';
	if (($c->{expect} // 'json') eq 'page') {
		return undef if $c->{method} eq 'HEAD' && $body eq '';
		return undef if $ct =~ m{^text/html\b} && length $body;
		# nginx or the router may refuse first, with the envelope
	}
	return "Content-Type '$ct', not application/json"
	    unless $ct =~ m{^application/json\s*(;|$)};
	my $j = eval { $STRICT->decode($body) };
	return "not JSON (or not UTF-8): " . ($@ =~ s/ at \S+ line \d+.*//sr)
	    unless defined $j;
	return 'not the error envelope' unless ref $j eq 'HASH'
	    && join(',', sort keys %$j) eq 'error,success'
	    && JSON::PP::is_bool($j->{success}) && !$j->{success}
	    && ref $j->{error} eq 'HASH'
	    && join(',', sort keys %{ $j->{error} }) eq 'code,message';
	my ($code, $msg) = @{ $j->{error} }{qw(code message)};
	return 'an empty error code or message' unless defined $code && !ref $code
	    && $code =~ /^[a-z_]+$/ && defined $msg && !ref $msg && $msg =~ /\S/;
	return "code $code, not $c->{code}" if $c->{code} && $code ne $c->{code};
	return "message '$msg' does not match $c->{message}"
	    if $c->{message} && $msg !~ $c->{message};
	return undef;
}

# One line about a case, and the answer, for diagnostics.
sub describe {
	my ($c, $res) = @_;
	my $show = sub {
		my $s = $_[0] // '';
		my $n = length $s;
		$s = substr($s, 0, $_[1]) . "...($n bytes)" if $n > $_[1];
		$s =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord $1)/ge;
		return $s;
	};
	my $h = join('', map { "\n#   $_->[0]: " . $show->($_->[1], 80) }
	    grep { $_->[0] ne 'Authorization' || $c->{group} eq 'auth' }
	    @{ $c->{headers} });
	my $out = "request: $c->{method} " . $show->($c->{target}, 200) . $h
	    . (defined $c->{body} ? "\n#   body: " . $show->($c->{body}, 300) : '');
	$out .= "\nanswer: " . (!$res ? 'none' : "$res->{status} "
	    . ($res->{headers}{'content-type'} // '-') . ' '
	    . $show->($res->{body}, 300));
	return $out;
}

# ---------------------------------------------------------------------------
# Sending a case.

# Over HTTP/1.1, byte for byte as the case says, one connection each.
sub send_http {
	my ($c, $base) = @_;
	my ($host, $port) = $base =~ m{^http://([^:/]+):(\d+)} or die "bad $base";
	my $s = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port,
	    Timeout => 10) or return undef;
	binmode $s;
	my $line = $c->{raw_line} // "$c->{method} $c->{target} HTTP/1.1";
	my $req = "$line\r\n";
	$req .= "Host: localhost\r\n" unless $c->{no_host};
	$req .= "Connection: close\r\n";
	my $framed = 0;
	for my $h (@{ $c->{headers} }) {
		$framed = 1 if $h->[0] =~ /^(Content-Length|Transfer-Encoding)$/i;
		$req .= defined $h->[1] ? "$h->[0]: $h->[1]\r\n" : "$h->[0]\r\n";
	}
	$req .= 'Content-Length: ' . length($c->{body}) . "\r\n"
	    if defined $c->{body} && !$framed;
	$req .= "\r\n" . ($c->{body} // '');
	# Write while reading: nginx may answer (413) before taking it all.
	my $sel = IO::Select->new($s);
	my ($off, $buf) = (0, '');
	while (1) {
		if ($off < length $req) {
			my $n = syswrite($s, $req, 65536, $off);
			$off = length $req unless defined $n;	# refused the rest
			$off += $n if $n;
		}
		my @r = $sel->can_read($off < length $req ? 0 : 10);
		if (@r) {
			my $n = sysread($s, $buf, 65536, length $buf);
			last unless $n;
		} elsif ($off >= length $req) {
			last;	# 10 s of silence
		}
	}
	close $s;
	return parse_http($buf, $c->{method});
}

sub parse_http {
	my ($buf, $method) = @_;
	my ($head, $body) = split /\r\n\r\n/, $buf, 2;
	return undef unless defined $head && $head =~ m{^HTTP/\d\.\d (\d{3})};
	my $status = $1;
	my %h;
	for (split /\r\n/, $head) {
		next unless /^([\w-]+):\s*(.*)$/;
		$h{lc $1} = exists $h{lc $1} ? "$h{lc $1}, $2" : $2;
	}
	$body //= '';
	if (($h{'transfer-encoding'} // '') =~ /chunked/i) {
		my $out = '';
		while ($body =~ s/^([0-9a-fA-F]+)[^\r\n]*\r\n//) {
			my $n = hex $1;
			last if $n == 0;
			$out .= substr($body, 0, $n, '');
			$body =~ s/^\r\n//;
		}
		$body = $out;
	}
	return { status => $status, headers => \%h, body => $body };
}

# Over HTTPS with curl (core Perl has no TLS), headers as the case says.
sub send_https {
	my ($c, $base) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my @cmd = ('curl', '-sk', '-o', "$dir/body", '-D', "$dir/head",
	    '-X', $c->{method}, '--max-time', '30', '-H', 'Content-Type:',
	    '-H', 'Expect:');
	push @cmd, '-H', "$_->[0]: $_->[1]" for @{ $c->{headers} };
	if (defined $c->{body}) {
		open(my $fh, '>', "$dir/req") or die;
		binmode $fh;
		print $fh $c->{body};
		close $fh;
		push @cmd, '--data-binary', "\@$dir/req";
	}
	system(@cmd, $base . $c->{target}) == 0 or return undef;
	my $head = slurp("$dir/head") // '';
	my $res = parse_http($head . "\r\n\r\n", $c->{method}) or return undef;
	$res->{body} = slurp("$dir/body") // '';
	return $res;
}

# Straight to a qre-fcgi socket: what nginx would pass as parameters.
sub send_fcgi {
	my ($c, $socket) = @_;
	my %env = (REQUEST_METHOD => $c->{method}, REQUEST_URI => $c->{target},
	    QUERY_STRING => $c->{target} =~ /\?(.*)/s ? $1 : '',
	    SCRIPT_NAME => $c->{target} =~ s/\?.*//sr, REMOTE_ADDR => '127.0.0.1',
	    HTTP_HOST => 'localhost', CONTENT_TYPE => undef);
	my $body = $c->{body} // '';
	for my $h (@{ $c->{headers} }) {
		next unless defined $h->[1];
		(my $k = uc $h->[0]) =~ tr/-/_/;
		$k = "HTTP_$k" unless $k =~ /^CONTENT_(TYPE|LENGTH)$/;
		$env{$k} = $h->[1];
	}
	my $length = delete $env{CONTENT_LENGTH};
	return FCGIClient::request($socket, method => $c->{method},
	    uri => $c->{target}, body => $body, env => \%env,
	    defined $length ? (length => $length) : ());
}

# ---------------------------------------------------------------------------
# What is stored: CHECKSUM TABLE of every table, except what a request is
# meant to change (the daily call counter of our account, a token's
# lastUsed).

sub db_state {
	my ($c) = @_;
	my @tables = map { $_->[0] } mysql_rows("SELECT table_name FROM "
	    . "information_schema.tables WHERE table_schema = DATABASE() AND "
	    . "table_type = 'BASE TABLE' ORDER BY table_name");
	my %skip = (daily_usage => 1, tokens => 1);
	my %state = map { ($_->[0] =~ s/^qre\.//r) => $_->[1] }
	    mysql_rows('CHECKSUM TABLE ' . join(', ', grep { !$skip{$_} } @tables));
	$state{'tokens but last_used_at'} = mysql_value("SELECT CONCAT(COUNT(*), "
	    . "':', MD5(GROUP_CONCAT(CONCAT_WS('|', id, account_id, HEX(name), "
	    . "HEX(token_hash), created_at, IFNULL(revoked_at, '-')) ORDER BY id)))"
	    . " FROM tokens");
	$state{'daily_usage of other accounts'} = mysql_value("SELECT CONCAT("
	    . "COUNT(*), ':', IFNULL(MD5(GROUP_CONCAT(CONCAT_WS('|', account_id, "
	    . "day, calls) ORDER BY account_id, day)), '-')) FROM daily_usage "
	    . "WHERE account_id <> $c->{account}");
	return \%state;
}

# Wait (at most 20 s) until nothing in the background (the webhook
# sender, buffered scans, an earlier test) changes the tables any more.
sub db_settle {
	my ($c) = @_;
	my $last = db_state($c);
	wait_until(20, sub {
		sleep 0.5;
		my $now = db_state($c);
		my $same = !db_diff($last, $now);
		$last = $now;
		return $same;
	});
	return $last;
}

# The tables whose state differs, as a list of names.
sub db_diff {
	my ($a, $b) = @_;
	my %k = map { $_ => 1 } keys %$a, keys %$b;
	return grep { ($a->{$_} // '') ne ($b->{$_} // '') } sort keys %k;
}

1;
