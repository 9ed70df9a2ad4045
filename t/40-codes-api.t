# The codes API end to end: POST /api/codes/generate, GET /api/codes,
# GET|PUT|DELETE /api/codes/:id.  Every answer's shape field by field,
# and every image it returns read back by a scanner (zbarimg; SVGs and
# transparent PNGs are first laid on white with rsvg-convert).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP ();
use MIME::Base64 qw(decode_base64);
use File::Temp qw(tempdir);
use POSIX qw(_exit);
use Time::Local qw(timegm);
use Time::HiRes qw(sleep);
use Qre;
use Tools;

for my $tool (qw(zbarimg rsvg-convert)) {
	plan skip_all => "$tool is not installed"
	    unless grep { -x "$_/$tool" } split /:/, $ENV{PATH} // '';
}

my $T = JSON::PP::true;
my $F = JSON::PP::false;
my $TMP = tempdir(CLEANUP => 1);
my $seq = 0;
my ($PUBLIC_URL) = (slurp(env('QRE_CONFIG')) // '') =~ /^public_url\s*=\s*(\S+)/m;
$PUBLIC_URL //= 'https://localhost:8443';
my $ID = qr/^[0-9A-Za-z]{16}$/;
my $SHORT = qr/^[0-9A-Za-z]{7}$/;
my $RFC3339 = qr/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;

# ---- helpers -------------------------------------------------------------

# PNG chunks: { IHDR => bytes, PLTE => bytes, tRNS => bytes, ... }.
sub png_chunks {
	my ($b) = @_;
	my %c;
	return \%c unless substr($b, 0, 8) eq "\x89PNG\r\n\x1a\n";
	my $o = 8;
	while ($o + 8 <= length $b) {
		my ($len, $type) = unpack('N a4', substr($b, $o, 8));
		$c{$type} .= substr($b, $o + 8, $len);
		$o += 12 + $len;
	}
	return \%c;
}

# The image of a data URI: { mime, bytes, width, height, text }, where
# text is what zbar reads once the image is on a white background.
sub image {
	my ($uri) = @_;
	my %i;
	return \%i unless defined $uri &&
	    $uri =~ m{^data:(image/png|image/svg\+xml);base64,([A-Za-z0-9+/=]+)\z};
	$i{mime} = $1;
	$i{bytes} = decode_base64($2);
	my $base = sprintf('%s/img%03d', $TMP, ++$seq);
	my $png = "$base.png";
	if ($i{mime} eq 'image/png') {
		$i{chunks} = png_chunks($i{bytes});
		@i{qw(width height depth ctype)} =
		    unpack('N N C C', $i{chunks}{IHDR} // '');
		$i{alpha} = exists $i{chunks}{tRNS} ||
		    ($i{ctype} // 0) == 4 || ($i{ctype} // 0) == 6;
		# Flattened onto white: the PNG inside an SVG, drawn by rsvg.
		spew("$base.svg", sprintf('<svg xmlns="http://www.w3.org/2000/svg" '
		    . 'width="%d" height="%d"><image width="%d" height="%d" '
		    . 'href="%s"/></svg>', $i{width} // 0, $i{height} // 0,
		    $i{width} // 0, $i{height} // 0, $uri));
	} else {
		@i{qw(width height)} = $i{bytes} =~
		    /<svg [^>]*width="(\d+)" height="(\d+)"/;
		spew("$base.svg", $i{bytes});
	}
	my @w = $i{mime} eq 'image/svg+xml' ? ('-w', 400) : ();
	my ($st) = run_cmd(['rsvg-convert', @w, '-b', 'white', '-o', $png,
	    "$base.svg"]);
	$i{text} = $st == 0 ? zbar($png) : undef;
	return \%i;
}

sub epoch {
	my ($s) = @_;
	return undef unless defined $s && $s =~ $RFC3339;
	return timegm($6, $5, $4, $3, $2 - 1, $1);
}

sub ean13 {
	my ($d12) = @_;
	my @d = split //, $d12;
	my $sum = 0;
	$sum += $d[$_] * ($_ % 2 ? 3 : 1) for 0 .. 11;
	return $d12 . ((10 - $sum % 10) % 10);
}

sub keys_of { [sort keys %{ $_[0] // {} }] }

sub generate {
	my ($tok, %body) = @_;
	return api(POST => '/api/codes/generate', token => $tok, body => \%body);
}

my @GEN_KEYS = qw(barcodeFormat format height id imageBase64 isDynamic moduleSize name type
    width);
my @GET_KEYS = qw(barcodeFormat createdAt customization data id imageBase64
    isActive isDynamic name scans shortCode type updatedAt format);

my ($email, $tok) = new_account('enterprise');
my $acct = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
ok($acct, "account id $acct");

# ---- generate: a static QR code, not saved ------------------------------
my $text = 'qre static QR, not saved';
my $r = generate($tok, type => 'qr', data => $text);
is($r->{status}, 200, 'unsaved QR: 200');
is($r->{headers}{'content-type'}, 'application/json', 'JSON content type');
is($r->{json}{success}, $T, 'success true');
my $d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GEN_KEYS], 'generate: exactly the documented fields');
is($d->{id}, undef, 'id null when not saved');
is($d->{name}, undef, 'name null when not given');
is($d->{type}, 'qr', 'type qr');
is($d->{format}, 'png', 'format defaults to png');
is($d->{isDynamic}, $F, 'isDynamic false');
is($d->{width}, 300, 'width defaults to 300');
is($d->{height}, 300, 'height 300 (square)');
ok($d->{moduleSize} >= 1 && $d->{moduleSize} <= 300 / 21, "moduleSize $d->{moduleSize}");
like($d->{imageBase64}, qr{^data:image/png;base64,}, 'PNG data URI');
my $img = image($d->{imageBase64});
is($img->{width}, 300, 'PNG is 300 px wide');
is($img->{height}, 300, 'PNG is 300 px high');
ok(!$img->{alpha}, 'opaque by default');
is($img->{text}, $text, 'zbar reads the data back');
is(mysql_value("SELECT COUNT(*) FROM codes WHERE account_id = $acct"), 0,
    'nothing stored without saveToLibrary');

# ---- saved, with colours and every customization ------------------------
$text = 'https://example.com/qre?colour=1';
$r = generate($tok, type => 'qr', data => $text, name => 'Brand QR',
    saveToLibrary => $T, customization => { color => '#1d4ed8',
    backgroundColor => '#fffbe6', size => 400, errorCorrection => 'Q',
    margin => 2 });
is($r->{status}, 201, 'saved QR: 201');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GEN_KEYS], 'saved: same fields');
like($d->{id}, $ID, 'id is 16 base62 characters');
is($d->{name}, 'Brand QR', 'name echoed');
is($d->{width}, 400, 'width = size');
is($d->{height}, 400, 'height = size');
$img = image($d->{imageBase64});
is($img->{width}, 400, 'PNG 400 px');
is($img->{text}, $text, 'coloured QR decodes');
my $plte = $img->{chunks}{PLTE} // '';
ok(index($plte, "\x1d\x4e\xd8") >= 0, 'palette holds the colour #1d4ed8');
ok(index($plte, "\xff\xfb\xe6") >= 0, 'palette holds the background #fffbe6');
my $saved_id = $d->{id};
is(mysql_value("SELECT CONCAT_WS('|', name, kind, image_format, data, "
    . "is_dynamic, color, background, size, ecc, margin) FROM codes "
    . "WHERE public_id = '$saved_id' AND account_id = $acct"),
    "Brand QR|qr|png|$text|0|#1D4ED8|#FFFBE6|400|Q|2", 'stored row');

# ---- SVG with colours ----------------------------------------------------
$text = 'SVG QR from qre';
$r = generate($tok, type => 'qr', data => $text, format => 'svg',
    customization => { color => '#b91c1c', backgroundColor => '#ffffff' });
is($r->{status}, 200, 'SVG QR: 200');
$d = $r->{json}{data};
is($d->{format}, 'svg', 'format svg');
like($d->{imageBase64}, qr{^data:image/svg\+xml;base64,}, 'SVG data URI');
$img = image($d->{imageBase64});
like($img->{bytes}, qr/^<\?xml[^>]*\?>\s*<svg /, 'an SVG document');
is($img->{width}, 300, 'SVG width attribute 300');
like($img->{bytes}, qr/fill="#b91c1c"/i, 'SVG draws in #b91c1c');
like($img->{bytes}, qr/<rect [^>]*fill="#ffffff"/i, 'SVG has the white background');
is($img->{text}, $text, 'SVG QR decodes');

# ---- transparent backgrounds, PNG and SVG ---------------------------------
$text = 'transparent background';
$r = generate($tok, type => 'qr', data => $text,
    customization => { color => '#065f46', backgroundColor => 'transparent' });
is($r->{status}, 200, 'transparent PNG: 200');
$img = image($r->{json}{data}{imageBase64});
ok($img->{alpha}, 'PNG has transparency (tRNS or alpha)');
is($img->{text}, $text, 'transparent PNG decodes on white');
$r = generate($tok, type => 'qr', data => $text, format => 'svg',
    customization => { backgroundColor => 'transparent' });
is($r->{status}, 200, 'transparent SVG: 200');
$img = image($r->{json}{data}{imageBase64});
unlike($img->{bytes}, qr/<rect /, 'transparent SVG has no background rect');
is($img->{text}, $text, 'transparent SVG decodes on white');

# ---- the four error correction levels -------------------------------------
my %seen;
for my $ecc (qw(L M Q H)) {
	$r = generate($tok, type => 'qr', data => 'same data for every level',
	    customization => { errorCorrection => $ecc });
	is($r->{status}, 200, "ECC $ecc: 200");
	$img = image($r->{json}{data}{imageBase64});
	is($img->{text}, 'same data for every level', "ECC $ecc decodes");
	$seen{ $r->{json}{data}{imageBase64} // '' } = $ecc;
}
is(scalar keys %seen, 4, 'four levels, four different symbols');

# ---- dynamic QR codes ------------------------------------------------------
my $dest = 'https://example.org/landing?utm=qre';
$r = generate($tok, type => 'qr', data => $dest, isDynamic => $T,
    name => 'Dynamic');
is($r->{status}, 201, 'dynamic: 201 (always saved)');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GEN_KEYS, 'shortCode', 'shortUrl'],
    'dynamic: shortCode and shortUrl added');
like($d->{id}, $ID, 'dynamic id');
like($d->{shortCode}, $SHORT, 'shortCode is 7 base62 characters');
is($d->{shortUrl}, "$PUBLIC_URL/$d->{shortCode}", 'shortUrl = public_url/shortCode');
is($d->{isDynamic}, $T, 'isDynamic true');
my $dyn = $d;
my $dyn_img = image($d->{imageBase64});
is($dyn_img->{text}, $dyn->{shortUrl}, 'dynamic QR encodes the short URL');
isnt($dyn_img->{text}, $dest, 'not the destination');
is(mysql_value("SELECT CONCAT_WS('|', target_type, target, short_code, data) "
    . "FROM codes WHERE public_id = '$dyn->{id}'"),
    "url|$dest|$dyn->{shortCode}|$dyn->{shortUrl}", 'stored: target and short URL');

$r = generate($tok, type => 'qr', data => 'Plain text behind a short code',
    isDynamic => $T, format => 'svg');
is($r->{status}, 201, 'dynamic text: 201');
my $dyn_text = $r->{json}{data};
like($dyn_text->{shortCode}, $SHORT, 'dynamic text: shortCode');
isnt($dyn_text->{shortCode}, $dyn->{shortCode}, 'short codes differ');
is(image($dyn_text->{imageBase64})->{text}, $dyn_text->{shortUrl},
    'dynamic SVG decodes to its short URL');

# ---- barcodes --------------------------------------------------------------
$text = 'QRE-128 test';
$r = generate($tok, type => 'barcode', barcodeFormat => 'code128',
    data => $text, saveToLibrary => $T, customization => { size => 500 });
is($r->{status}, 201, 'CODE128 saved: 201');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GEN_KEYS], 'barcode: the same fields');
is($d->{type}, 'barcode', 'type barcode');
is($d->{barcodeFormat}, 'CODE128', 'format name upper-cased');
is($d->{width}, 500, 'barcode width = size');
ok($d->{height} > 0 && $d->{height} < $d->{width}, "barcode height $d->{height}");
$img = image($d->{imageBase64});
is($img->{width}, 500, 'CODE128 PNG width');
is($img->{height}, $d->{height}, 'CODE128 PNG height as reported');
is($img->{text}, $text, 'CODE128 decodes');
my $code128_id = $d->{id};

my $ean12 = '400638133393';
$r = generate($tok, type => 'barcode', barcodeFormat => 'EAN13', data => $ean12);
is($r->{status}, 200, 'EAN13 (12 digits): 200');
is($r->{json}{data}{barcodeFormat}, 'EAN13', 'EAN13 named');
is(image($r->{json}{data}{imageBase64})->{text}, ean13($ean12),
    'EAN13 decodes to 13 digits with the computed check digit ' . ean13($ean12));
$r = generate($tok, type => 'barcode', barcodeFormat => 'EAN13',
    data => ean13('590123412345'), format => 'svg');
is($r->{status}, 200, 'EAN13 (13 digits, SVG): 200');
is(image($r->{json}{data}{imageBase64})->{text}, '5901234123457', 'EAN13 SVG decodes');

# ---- GET /api/codes/:id ----------------------------------------------------
my $t0 = time;
$r = api(GET => "/api/codes/$saved_id", token => $tok);
is($r->{status}, 200, 'GET saved static: 200');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GET_KEYS], 'static: exactly the documented fields');
is($d->{id}, $saved_id, 'id');
is($d->{name}, 'Brand QR', 'name');
is($d->{type}, 'qr', 'type');
is($d->{barcodeFormat}, undef, 'barcodeFormat null for QR');
is($d->{format}, 'png', 'format');
is($d->{data}, 'https://example.com/qre?colour=1', 'data');
is($d->{isDynamic}, $F, 'isDynamic false');
is($d->{shortCode}, undef, 'shortCode null for a static code');
is($d->{isActive}, $T, 'isActive true');
is($d->{scans}, 0, 'scans 0');
is_deeply($d->{customization}, { color => '#1D4ED8', backgroundColor => '#FFFBE6',
    size => 400, errorCorrection => 'Q', margin => 2 }, 'customization');
like($d->{createdAt}, $RFC3339, 'createdAt RFC 3339 UTC');
like($d->{updatedAt}, $RFC3339, 'updatedAt RFC 3339 UTC');
ok(abs(epoch($d->{createdAt}) - $t0) < 120, 'createdAt is now');
is($d->{updatedAt}, $d->{createdAt}, 'updatedAt = createdAt before any change');
$img = image($d->{imageBase64});
is($img->{width}, 400, 'GET image drawn at the stored size');
is($img->{text}, 'https://example.com/qre?colour=1', 'GET image decodes');

$r = api(GET => "/api/codes/$dyn->{id}", token => $tok);
is($r->{status}, 200, 'GET dynamic: 200');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GET_KEYS, 'shortUrl', 'targetUrl'],
    'dynamic URL code: shortUrl and targetUrl added');
is($d->{shortCode}, $dyn->{shortCode}, 'shortCode');
is($d->{shortUrl}, $dyn->{shortUrl}, 'shortUrl');
is($d->{targetUrl}, $dest, 'targetUrl is the destination');
is($d->{data}, $dyn->{shortUrl}, 'data is what the image encodes');
is($d->{imageBase64}, $dyn->{imageBase64}, 'same image as at creation');
is_deeply($d->{customization}, { color => '#000000', backgroundColor => '#FFFFFF',
    size => 300, errorCorrection => 'M', margin => undef }, 'default customization');

$r = api(GET => "/api/codes/$dyn_text->{id}", token => $tok);
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GET_KEYS, 'shortUrl', 'targetData'],
    'dynamic text code: targetData instead of targetUrl');
is($d->{targetData}, 'Plain text behind a short code', 'targetData');
is($d->{format}, 'svg', 'format svg kept');

$r = api(GET => "/api/codes/$code128_id", token => $tok);
$d = $r->{json}{data};
is($d->{barcodeFormat}, 'CODE128', 'barcode: barcodeFormat');
is_deeply(keys_of($d->{customization}), [qw(backgroundColor color margin size)],
    'barcode customization has no errorCorrection');
is(image($d->{imageBase64})->{text}, 'QRE-128 test', 'GET barcode decodes');

for my $bad ('AAAAAAAAAAAAAAAA', 'abc', substr($saved_id, 0, 15)) {
	$r = api(GET => "/api/codes/$bad", token => $tok);
	is($r->{status}, 404, "GET /api/codes/$bad: 404");
	is($r->{json}{error}{code}, 'not_found', "GET $bad: not_found");
}

# ---- PUT -------------------------------------------------------------------
sleep 1.1;	# updatedAt has whole seconds
$r = api(PUT => "/api/codes/$saved_id", token => $tok,
    body => { name => 'Renamed', data => 'new static data' });
is($r->{status}, 200, 'PUT name+data: 200');
$d = $r->{json}{data};
is_deeply(keys_of($d), [sort @GET_KEYS], 'PUT answers the whole code');
is($d->{name}, 'Renamed', 'name changed');
is($d->{data}, 'new static data', 'data changed');
is($d->{customization}{size}, 400, 'style kept');
ok(epoch($d->{updatedAt}) > epoch($d->{createdAt}), 'updatedAt moved on');
is(image($d->{imageBase64})->{text}, 'new static data', 're-encoded image decodes to the new data');
$r = api(GET => "/api/codes/$saved_id", token => $tok);
is($r->{json}{data}{data}, 'new static data', 'GET sees the new data');
is($r->{json}{data}{name}, 'Renamed', 'GET sees the new name');
my $before = $r->{json}{data};

$r = api(PUT => "/api/codes/$saved_id", token => $tok,
    body => { data => 'x' x 3000 });
is($r->{status}, 422, 'PUT data too long for the symbol: 422');
like($r->{json}{error}{message}, qr/QR.*(fit|too)/i, "encoder's reason: $r->{json}{error}{message}");
is_deeply(api(GET => "/api/codes/$saved_id", token => $tok)->{json}{data}, $before,
    'nothing changed after the refused PUT');

$r = api(PUT => "/api/codes/$saved_id", token => $tok, body => { isActive => $F });
is($r->{status}, 200, 'PUT isActive false: 200');
is($r->{json}{data}{isActive}, $F, 'isActive false');
is(api(GET => "/api/codes/$saved_id", token => $tok)->{json}{data}{isActive}, $F,
    'GET: isActive false');

$r = api(PUT => "/api/codes/$saved_id", token => $tok,
    body => { targetUrl => 'https://example.net/' });
is($r->{status}, 422, 'PUT targetUrl on a static code: 422');
like($r->{json}{error}{message}, qr/targetUrl/, 'message names targetUrl');

# Dynamic: the destination changes, the image does not.
$r = api(PUT => "/api/codes/$dyn->{id}", token => $tok,
    body => { targetUrl => 'https://example.net/new-place' });
is($r->{status}, 200, 'PUT targetUrl: 200');
$d = $r->{json}{data};
is($d->{targetUrl}, 'https://example.net/new-place', 'targetUrl changed');
is($d->{shortCode}, $dyn->{shortCode}, 'shortCode unchanged');
is($d->{imageBase64}, $dyn->{imageBase64}, 'image byte-identical after a targetUrl change');
is(image($d->{imageBase64})->{text}, $dyn->{shortUrl}, 'still decodes to the short URL');
is(mysql_value("SELECT target FROM codes WHERE public_id = '$dyn->{id}'"),
    'https://example.net/new-place', 'stored target changed');

$r = api(PUT => "/api/codes/$dyn->{id}", token => $tok,
    body => { targetData => 'now a text' });
is($r->{status}, 200, 'PUT targetData: 200');
$d = $r->{json}{data};
is($d->{targetData}, 'now a text', 'targetData set');
ok(!exists $d->{targetUrl}, 'targetUrl gone');
is($d->{imageBase64}, $dyn->{imageBase64}, 'image still byte-identical');

$r = api(PUT => "/api/codes/$dyn->{id}", token => $tok, body => { data => 'x' });
is($r->{status}, 422, 'PUT data on a dynamic code: 422');
like($r->{json}{error}{message}, qr/^data /, 'message names data');
$r = api(PUT => "/api/codes/$dyn->{id}", token => $tok,
    body => { targetUrl => 'https://a.example/', targetData => 'b' });
is($r->{status}, 422, 'PUT targetUrl and targetData: 422');
like($r->{json}{error}{message}, qr/targetUrl.*targetData/, 'message names both');
is(api(GET => "/api/codes/$dyn->{id}", token => $tok)->{json}{data}{targetData},
    'now a text', 'refused PUTs changed nothing');

# ---- DELETE ----------------------------------------------------------------
$r = api(DELETE => "/api/codes/$code128_id", token => $tok);
is($r->{status}, 200, 'DELETE: 200');
is_deeply(keys_of($r->{json}), [qw(message success)], 'DELETE: success and message only');
is($r->{json}{success}, $T, 'DELETE: success true');
is($r->{json}{message}, 'Code deleted', 'DELETE: message');
is(mysql_value("SELECT COUNT(*) FROM codes WHERE public_id = '$code128_id'"), 0,
    'row gone');
$r = api(DELETE => "/api/codes/$code128_id", token => $tok);
is($r->{status}, 404, 'DELETE again: 404');
is($r->{json}{error}{code}, 'not_found', 'DELETE again: not_found');
is(api(GET => "/api/codes/$code128_id", token => $tok)->{status}, 404, 'GET deleted: 404');

# ---- GET /api/codes: pagination, order, filter -----------------------------
my ($e2, $tok2) = new_account('free');
$r = api(GET => '/api/codes', token => $tok2);
is($r->{status}, 200, 'empty list: 200');
is_deeply($r->{json}{data}, { codes => [], total => 0, limit => 20, offset => 0 },
    'empty list: no codes, total 0, limit 20, offset 0');
my @made;
for my $c ([qr => 'first'], [barcode => 'SECOND'], [qr => 'third']) {
	my ($type, $data) = @$c;
	$r = generate($tok2, type => $type, data => $data, saveToLibrary => $T,
	    name => "n-$data", $type eq 'barcode' ? (barcodeFormat => 'CODE39') : ());
	is($r->{status}, 201, "list: created $data");
	push @made, $r->{json}{data}{id};
}
my @newest = reverse @made;
$r = api(GET => '/api/codes?limit=2&offset=0', token => $tok2);
is($r->{status}, 200, 'limit=2 offset=0: 200');
$d = $r->{json}{data};
is_deeply(keys_of($d), [qw(codes limit offset total)], 'list fields');
is($d->{total}, 3, 'total 3');
is($d->{limit}, 2, 'limit echoed');
is($d->{offset}, 0, 'offset echoed');
is_deeply([map { $_->{id} } @{ $d->{codes} }], [@newest[0, 1]], 'newest first, two of them');
for my $c (@{ $d->{codes} }) {
	is_deeply(keys_of($c), [sort grep { $_ ne 'imageBase64' } @GET_KEYS],
	    "list item $c->{id}: GET's fields without the image");
}
is($d->{codes}[0]{data}, 'third', 'first item is the newest (data)');
is($d->{codes}[1]{barcodeFormat}, 'CODE39', 'second item: the barcode');
$r = api(GET => '/api/codes?limit=2&offset=2', token => $tok2);
is_deeply([map { $_->{id} } @{ $r->{json}{data}{codes} }], [$newest[2]],
    'offset=2: the oldest one');
is($r->{json}{data}{total}, 3, 'total still 3');
$r = api(GET => '/api/codes?type=qr', token => $tok2);
is($r->{json}{data}{total}, 2, 'type=qr: total 2');
is_deeply([map { $_->{id} } @{ $r->{json}{data}{codes} }], [$made[2], $made[0]],
    'type=qr: the two QR codes, newest first');
$r = api(GET => '/api/codes?type=barcode', token => $tok2);
is($r->{json}{data}{total}, 1, 'type=barcode: total 1');
is_deeply([map { $_->{id} } @{ $r->{json}{data}{codes} }], [$made[1]], 'type=barcode: the barcode');
$r = api(GET => '/api/codes?offset=5', token => $tok2);
is_deeply([$r->{status}, $r->{json}{data}{codes}, $r->{json}{data}{total}], [200, [], 3],
    'offset past the end: empty page, total 3');
for my $q (['limit=0', 422], ['limit=101', 422], ['limit=100', 200], ['limit=1', 200],
    ['limit=x', 400], ['offset=-1', 422], ['type=pdf', 422]) {
	$r = api(GET => "/api/codes?$q->[0]", token => $tok2);
	is($r->{status}, $q->[1], "?$q->[0]: $q->[1]");
}

# The big account's list: everything it saved and nothing deleted.
$r = api(GET => '/api/codes?limit=100', token => $tok);
my %ids = map { $_->{id} => 1 } @{ $r->{json}{data}{codes} };
is($r->{json}{data}{total}, 3, 'account 1: three saved codes left');
ok($ids{$saved_id} && $ids{$dyn->{id}} && $ids{$dyn_text->{id}} && !$ids{$code128_id},
    'account 1: the saved ones, not the deleted one');
# ---- a long barcode without a size: drawn as wide as it needs -----------
{
	my ($e, $t) = new_account('enterprise');
	my $long = 'QRE-0123456789-ABCDEFGH';
	my $g = generate($t, type => 'barcode', barcodeFormat => 'CODE128',
	    data => $long, saveToLibrary => $T);
	is($g->{status}, 201, 'long CODE128 without a size: 201');
	cmp_ok($g->{json}{data}{width} // 0, '>', 300,
	    'wider than the default 300 px (' . ($g->{json}{data}{width} // 0) . ')');
	is($g->{json}{data}{moduleSize}, 2, 'bars of 2 px, not 1');
	is(image($g->{json}{data}{imageBase64})->{text}, $long, 'and it scans');
	my $got = api(GET => "/api/codes/$g->{json}{data}{id}", token => $t);
	is($got->{json}{data}{customization}{size}, $g->{json}{data}{width},
	    'stored at the width it was drawn');
	is($got->{json}{data}{imageBase64}, $g->{json}{data}{imageBase64},
	    'drawn the same way again');
	my $small = generate($t, type => 'barcode', barcodeFormat => 'CODE128',
	    data => $long, customization => { size => 300 });
	is($small->{json}{data}{width}, 300, 'an asked-for size is kept');
}

done_testing();
