#!/usr/bin/perl
# t/51-render-charsets.t: text past ASCII reads back as it was given, in
# every format that can carry it, and is refused by name where it cannot.
#
# - QR (libqrencode) and zint's ECI symbologies (Data Matrix, Aztec,
#   PDF417, MicroPDF417, MaxiCode) mark UTF-8 text with ECI 26: é, ü, €,
#   Kanji, an emoji and a mix of them are read back exactly, from the PNG
#   and from the SVG (rasterised by rsvg-convert), by ZXing, and for QR
#   by zbar too (which, without the ECI, read "é" as "矇").
# - Code 128 carries ISO 8859-1: Latin-1 text reads back through ZXing
#   (zbar 0.23 ignores Code 128's FNC4 and reads "café" as "cafi", so it
#   is not asked); Micro QR carries Latin-1 and Kanji.
# - Through the API: images of such text (codes API and v1) read back;
#   formats that cannot carry a character answer 422 naming the format
#   and the character, and a refused change leaves the stored code as it
#   was.
#
# Needs: the stack (var/stack.env), a built qre-render ($QRE_BUILD_DIR),
# zbarimg, rsvg-convert, node with docs/node_modules (zxing-wasm, pngjs).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use File::Spec;
use MIME::Base64 qw(decode_base64);
use NodeTap;
use Qre;
use Tools;

my $BUILD = $ENV{QRE_BUILD_DIR} // '.';
$BUILD = "$ROOT/$BUILD" unless File::Spec->file_name_is_absolute($BUILD);
my $RENDER = "$BUILD/qre-render";
die "no $RENDER: build qre-render first (or set QRE_BUILD_DIR)\n"
    unless -x $RENDER;
node_tools_or_fail(qw(zxing-wasm pngjs));

my $TMP = tempdir(CLEANUP => 1);
my $seq = 0;

# Payloads as UTF-8 bytes (this file is ASCII).
my %TEXT = (
	'e acute' => "\xc3\xa9",
	'cafe'    => "caf\xc3\xa9",
	'u umlaut' => "\xc3\xbc",
	'euro'    => "\xe2\x82\xac",
	'Kanji'   => "\xe6\xbc\xa2\xe5\xad\x97",
	'emoji'   => "\xf0\x9f\x98\x80",
	'mixed'   => "Gr\xc3\xbc\xc3\x9fe, \xe6\x9d\xb1\xe4\xba\xac "
	    . "\xe2\x82\xac5 \xf0\x9f\x98\x80",
);
my @ALL = sort keys %TEXT;
my %LATIN1 = (
	'e acute' => $TEXT{'e acute'}, 'cafe' => $TEXT{cafe},
	'u umlaut' => $TEXT{'u umlaut'},
	'German' => "Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln",
	'top of Latin-1' => "\xc3\xbf \xc2\xb1 \xc2\xa9",
);
my %MICROQR = (
	'e acute' => $TEXT{'e acute'}, 'cafe' => $TEXT{cafe},
	'u umlaut' => $TEXT{'u umlaut'}, 'Kanji' => $TEXT{Kanji},
);

sub show {
	my ($s) = @_;
	(my $t = $s) =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord($1))/ge;
	return $t;
}

# qre-render DATA as FORMAT (png or svg) with OPTS; the PNG to read.
sub render_png {
	my ($data, $fmt, @opts) = @_;
	my $in = "$TMP/data";
	my $img = sprintf('%s/img%04d.%s', $TMP, ++$seq, $fmt);
	spew($in, $data);
	my ($st, undef, $err) = run_cmd([$RENDER, '-f', $fmt, @opts, '-o',
	    $img, '-'], stdin => $in);
	return (undef, "qre-render exit $st: $err") if $st != 0;
	return ($img) if $fmt eq 'png';
	my $png = "$img.png";
	($st, undef, $err) = run_cmd(['rsvg-convert', '-b', 'white', '-o',
	    $png, $img]);
	return $st == 0 ? ($png) : (undef, "rsvg-convert: $err");
}

# Renders every (name, format, data, opts) and has ZXing read them all
# at once; each must read back as data, and with zbar where asked.
my @jobs;
sub job {
	my ($name, $data, %o) = @_;
	for my $fmt (qw(png svg)) {
		my ($png, $err) = render_png($data, $fmt, @{ $o{opts} // [] });
		push @jobs, { name => "$name $fmt", data => $data, png => $png,
		    err => $err, zbar => $o{zbar} };
	}
}

for my $t (@ALL) {
	job("QR $t", $TEXT{$t}, zbar => 1);
	job("QR H $t", $TEXT{$t}, zbar => 1, opts => ['-e', 'H']);
	for my $f (qw(DATAMATRIX AZTEC MAXICODE)) {
		job("$f $t", $TEXT{$t}, opts => ['-b', $f]);
	}
	for my $f (qw(PDF417 MICROPDF417)) {
		job("$f $t", $TEXT{$t}, opts => ['-b', $f, '-s', 600]);
	}
}
for my $t (sort keys %LATIN1) {
	job("CODE128 $t", $LATIN1{$t}, opts => ['-b', 'CODE128', '-s', 800]);
}
for my $t (sort keys %MICROQR) {
	job("MICROQR $t", $MICROQR{$t}, opts => ['-b', 'MICROQR']);
}

my @readable = grep { defined $_->{png} } @jobs;
my @read = zxing(map { $_->{png} } @readable);
my %got;
$got{$readable[$_]{name}} = $read[$_] for 0 .. $#readable;
for my $j (@jobs) {
	if (!defined $j->{png}) {
		fail("$j->{name}: rendered");
		diag($j->{err});
		next;
	}
	my ($format, $text) = @{ $got{$j->{name}} };
	ok(defined $text && $text eq $j->{data}, "$j->{name}: ZXing reads "
	    . show($j->{data})) or diag('got ' . (defined $text ?
	    show($text) . " ($format)" : 'nothing'));
	next unless $j->{zbar};
	my $z = zbar($j->{png});
	ok(defined $z && $z eq $j->{data}, "$j->{name}: zbar reads "
	    . show($j->{data})) or diag('got ' . (defined $z ? show($z) :
	    'nothing'));
}

# qre-render refuses what the symbology cannot carry: exit 1, the reason.
for my $c (['CODE128', $TEXT{euro}, qr/^qre-render: CODE128: ISO 8859-1 \(Latin-1\) characters only, but character 1 is '\xe2\x82\xac' \(U\+20AC\)/],
    ['CODE93', $TEXT{cafe}, qr/^qre-render: CODE93: ASCII characters only, but character 4 is '\xc3\xa9' \(U\+00E9\); CODE128 takes Latin-1/],
    ['MICROQR', $TEXT{emoji}, qr/^qre-render: MICROQR: Latin-1 and Kanji characters only, but character 1 is '\xf0\x9f\x98\x80' \(U\+1F600\)/]) {
	my ($f, $data, $re) = @$c;
	spew("$TMP/data", $data);
	my ($st, undef, $err) = run_cmd([$RENDER, '-b', $f, '-o',
	    "$TMP/refused.png", '-'], stdin => "$TMP/data");
	is($st, 1, "qre-render $f " . show($data) . ': exit 1');
	like($err, $re, "qre-render $f " . show($data) . ': reason');
}

# --- through the API ---------------------------------------------------
my (undef, $tok) = new_account('enterprise');

sub call {
	my ($method, $path, $body) = @_;
	return api($method, $path, token => $tok, body => $body);
}

# The data URI's PNG, written to a file; or undef.
sub data_png {
	my ($uri) = @_;
	return undef unless defined $uri &&
	    $uri =~ m{^data:image/png;base64,(.*)$}s;
	my $png = sprintf('%s/api%04d.png', $TMP, ++$seq);
	spew($png, decode_base64($1));
	return $png;
}

# utf8 off: JSON::PP gives characters; the payloads here are bytes.
sub chars {
	my ($bytes) = @_;
	my $s = $bytes;
	utf8::decode($s);
	return $s;
}

my $G = '/api/codes/generate';
my @api_reads;	# [name, png, data, zbar]
for my $c (['qr', undef, $TEXT{mixed}, 1], ['qr', undef, $TEXT{cafe}, 1],
    ['barcode', 'DATAMATRIX', $TEXT{mixed}, 0],
    ['barcode', 'AZTEC', $TEXT{Kanji}, 0],
    ['barcode', 'PDF417', $TEXT{euro}, 0],
    ['barcode', 'CODE128', $LATIN1{German}, 0]) {
	my ($type, $f, $data, $zb) = @$c;
	my $name = 'API ' . ($f // 'QR') . ' ' . show($data);
	my $r = call(POST => $G, { type => $type, data => chars($data),
	    ($f ? (barcodeFormat => $f) : ()),
	    customization => { size => 800 } });
	is($r->{status}, 200, "$name: 200") or diag($r->{content});
	my $png = data_png($r->{json}{data}{imageBase64});
	ok(defined $png, "$name: a PNG");
	push @api_reads, [$name, $png, $data, $zb] if defined $png;
}

# v1: a static text code's image.
{
	my $r = call(POST => '/api/v1/codes', { type => 'text', mode => 'static',
	    title => 'charsets', payload => { text => chars($TEXT{mixed}) } });
	is($r->{status}, 201, 'v1 static text code: 201') or diag($r->{content});
	my $id = $r->{json}{data}{id} // '';
	$r = call(GET => "/api/v1/codes/$id/image?format=png&size=600");
	is($r->{status}, 200, 'v1 image: 200');
	my $png = sprintf('%s/v1.png', $TMP);
	spew($png, $r->{content} // '');
	push @api_reads, ['v1 QR ' . show($TEXT{mixed}), $png, $TEXT{mixed}, 1];
}
my @api_got = zxing(map { $_->[1] } @api_reads);
for my $i (0 .. $#api_reads) {
	my ($name, $png, $data, $zb) = @{ $api_reads[$i] };
	my $text = $api_got[$i][1];
	ok(defined $text && $text eq $data, "$name: ZXing reads it back")
	    or diag('got ' . (defined $text ? show($text) : 'nothing'));
	if ($zb) {
		my $z = zbar($png);
		ok(defined $z && $z eq $data, "$name: zbar reads it back")
		    or diag('got ' . (defined $z ? show($z) : 'nothing'));
	}
}

# Refusals: 422, the error envelope, the format and the character named.
my $E = qr/; QR, DATAMATRIX, AZTEC and PDF417 take any text$/;
my @refused = (
	['CODE128', $TEXT{euro}, qr/^CODE128: ISO 8859-1 \(Latin-1\) characters only, but character 1 is '\x{20ac}' \(U\+20AC\)$E/],
	['CODE128', "ok $TEXT{Kanji}", qr/^CODE128: ISO 8859-1 \(Latin-1\) characters only, but character 4 is '\x{6f22}' \(U\+6F22\)$E/],
	['CODE128', $TEXT{emoji}, qr/^CODE128: .* character 1 is '\x{1f600}' \(U\+1F600\)$E/],
	['CODE39', "CAF\xc3\x89", qr/^CODE39: ASCII characters only, but character 4 is '\x{c9}' \(U\+00C9\); CODE128 takes Latin-1$E/],
	['CODE93', $TEXT{cafe}, qr/^CODE93: ASCII characters only, but character 4 is '\x{e9}' \(U\+00E9\); CODE128 takes Latin-1$E/],
	['CODE93', $TEXT{euro}, qr/^CODE93: ASCII characters only, but character 1 is '\x{20ac}' \(U\+20AC\)$E/],
	['CODABAR', "A12\xe2\x82\xac" . 'B', qr/^CODABAR: ASCII characters only, but character 4 is '\x{20ac}'/],
	['CODE11', "12\xc3\xbc", qr/^CODE11: ASCII characters only, but character 3 is '\x{fc}' \(U\+00FC\)/],
	['EAN13', "59012341234\xc3\xa9", qr/^EAN13: digits only, but character 12 is '\x{e9}' \(U\+00E9\)$/],
	['EAN8', "963850\xe2\x82\xac", qr/^EAN8: digits only, but character 7 is '\x{20ac}' \(U\+20AC\)$/],
	['UPCA', "0360002914\xf0\x9f\x98\x80", qr/^UPCA: digits only, but character 11 is '\x{1f600}' \(U\+1F600\)$/],
	['UPCE', "042526\xc3\xbc", qr/^UPCE: digits only, but character 7 is '\x{fc}'/],
	['ITF14', "154001412887\xc3\xa9", qr/^ITF14: digits only, but character 13 is '\x{e9}'/],
	['ITF', "12\xe6\xbc\xa2", qr/^ITF: digits only, but character 3 is '\x{6f22}'/],
	['MSI', "1\xc3\xa9", qr/^MSI: digits only, but character 2 is '\x{e9}'/],
	['GS1_128', "[10]\xc3\xbc", qr/^GS1_128: ASCII characters only, but character 5 is '\x{fc}'/],
	['DATABAR_OMNI', "095011015300\xc3\xa9", qr/^DATABAR_OMNI: digits only, but character 13 is '\x{e9}'/],
	['DATABAR_EXPANDED', "[01]09501101530003[10]\xc3\xa9", qr/^DATABAR_EXPANDED: ASCII characters only, but character 23 is '\x{e9}'/],
	['MICROQR', "ab\xe2\x82\xac", qr/^MICROQR: Latin-1 and Kanji characters only, but character 3 is '\x{20ac}' \(U\+20AC\)$E/],
	['MICROQR', $TEXT{emoji}, qr/^MICROQR: Latin-1 and Kanji characters only, but character 1 is '\x{1f600}'/],
);
for my $c (@refused) {
	my ($f, $data, $re) = @$c;
	for my $save (0, 1) {
		my $name = "API $f " . show($data) . ($save ? ', saved' : '');
		my $r = call(POST => $G, { type => 'barcode', barcodeFormat => $f,
		    data => chars($data), ($save ? (saveToLibrary =>
		    JSON::PP::true) : ()) });
		is($r->{status}, 422, "$name: 422");
		is($r->{json}{success}, JSON::PP::false, "$name: success false");
		is($r->{json}{error}{code}, 'unprocessable', "$name: code");
		like($r->{json}{error}{message} // '', $re, "$name: message");
	}
}

# A saved Code 128 keeps its data when a change to text it cannot carry
# is refused; a change to Latin-1 text is taken and reads back.
{
	my $r = call(POST => $G, { type => 'barcode', barcodeFormat => 'CODE128',
	    data => 'plain', saveToLibrary => JSON::PP::true });
	is($r->{status}, 201, 'saved CODE128: 201') or diag($r->{content});
	my $id = $r->{json}{data}{id} // '';
	$r = call(PUT => "/api/codes/$id", { data => chars($TEXT{euro}) });
	is($r->{status}, 422, 'PUT CODE128 euro: 422');
	like($r->{json}{error}{message} // '', qr/^CODE128: .*'\x{20ac}'/,
	    'PUT CODE128 euro: message');
	$r = call(GET => "/api/codes/$id");
	is($r->{json}{data}{data}, 'plain', 'PUT refused: data unchanged');
	$r = call(PUT => "/api/codes/$id", { data => chars($TEXT{cafe}) });
	is($r->{status}, 200, 'PUT CODE128 cafe: 200') or diag($r->{content});
	$r = call(GET => "/api/codes/$id");
	is($r->{json}{data}{data}, chars($TEXT{cafe}), 'PUT taken: data');
	my $png = data_png($r->{json}{data}{imageBase64});
	my ($read) = defined $png ? zxing($png) : ([]);
	is($read->[1], $TEXT{cafe}, 'stored CODE128 cafe: ZXing reads it back');
}

done_testing();
