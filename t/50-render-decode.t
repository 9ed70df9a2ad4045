#!/usr/bin/perl
# t/50-render-decode.t: what qre-render draws, a scanner reads back.
#
# For every format zbar can read, the PNG and the SVG (rasterised with
# rsvg-convert) are decoded by "zbarimg --raw -q" and must equal the
# input (or, for GTINs, the input with its check digit, as zbar reports
# it), over several data lengths, all four QR error correction levels,
# colours and transparent backgrounds.  Formats zbar cannot read (Data
# Matrix, Aztec, PDF417 -- not built into Debian's zbar --, MaxiCode,
# Micro QR, MicroPDF417, Code 11, MSI, DataBar Limited) are checked for
# well-formed output and their dimensions.
#
# Needs: a built qre-render ($QRE_BUILD_DIR, default ".", relative to
# the repository root), zbarimg (zbar-tools), rsvg-convert (librsvg2-bin);
# xmllint (libxml2-utils) is used when present.  Core Perl only.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Tools;
use File::Temp qw(tempdir);
use File::Spec;
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use POSIX qw(_exit);

my $ROOT = abs_path(dirname(__FILE__) . '/..');
my $BUILD = $ENV{QRE_BUILD_DIR} // '.';
$BUILD = "$ROOT/$BUILD" unless File::Spec->file_name_is_absolute($BUILD);
my $RENDER = "$BUILD/qre-render";

sub which {
	my ($cmd) = @_;
	for my $dir (split /:/, $ENV{PATH} // '') {
		return "$dir/$cmd" if -x "$dir/$cmd";
	}
	return undef;
}

for my $tool (qw(zbarimg rsvg-convert)) {
	plan skip_all => "$tool is not installed" unless which($tool);
}
die "no $RENDER: build qre-render first (or set QRE_BUILD_DIR)\n"
    unless -x $RENDER;
my $XMLLINT = which('xmllint');

my $TMP = tempdir(CLEANUP => 1);
my $seq = 0;

# Render data (bytes, given on stdin) with options; the image's path.
sub render {
	my ($data, $ext, @opts) = @_;
	my $in = "$TMP/data";
	my $img = sprintf("%s/img%04d.%s", $TMP, ++$seq, $ext);
	spew($in, $data);
	my ($st, undef, $err) = run_cmd([$RENDER, '-f', $ext, @opts, '-o', $img,
	    '-'], stdin => $in);
	return ($st, $img, $err);
}

# An SVG on a white background as PNG, for zbar.
sub rasterise {
	my ($svg) = @_;
	my $png = "$svg.png";
	my ($st, undef, $err) = run_cmd(['rsvg-convert', '-b', 'white', '-o',
	    $png, $svg]);
	return $st == 0 ? $png : undef;
}

# PNG width, height, bit depth, colour type from IHDR.
sub png_header {
	my ($path) = @_;
	my $b = slurp_raw($path);
	return () unless length($b) > 33 &&
	    substr($b, 0, 8) eq "\x89PNG\r\n\x1a\n" &&
	    substr($b, 12, 4) eq 'IHDR';
	return unpack('N N C C', substr($b, 16, 10));
}

sub svg_size {
	my ($path) = @_;
	my $s = slurp_raw($path);
	return $s =~ /<svg [^>]*width="(\d+)" height="(\d+)"/ ? ($1, $2) : ();
}

sub well_formed {
	my ($svg) = @_;
	return 1 unless $XMLLINT;
	my ($st) = run_cmd([$XMLLINT, '--noout', $svg]);
	return $st == 0;
}

sub show {
	my ($s) = @_;
	$s = substr($s, 0, 40) . '...' if length($s) > 43;
	$s =~ s/([^\x20-\x7e])/sprintf('\\x%02x', ord($1))/ge;
	return $s;
}

# Render as PNG and SVG and read both back: each must say $want.
sub decodes {
	my ($name, $data, $want, @opts) = @_;
	for my $fmt (qw(png svg)) {
		my ($st, $img, $err) = render($data, $fmt, @opts);
		if ($st != 0) {
			fail("$name $fmt: rendered");
			diag("exit $st: $err");
			next;
		}
		my $png = $fmt eq 'png' ? $img : rasterise($img);
		ok(well_formed($img), "$name svg: well-formed XML")
		    if $fmt eq 'svg';
		my $got = defined $png ? zbar($png) : undef;
		ok(defined $got && $got eq $want, "$name $fmt: reads back " .
		    show($want)) or diag('got ' . (defined $got ? show($got) :
		    'nothing'));
	}
}

# GS1 mod-10 check digit of a string of digits.
sub gs1_check {
	my ($digits) = @_;
	my ($sum, $w) = (0, 3);
	for my $d (reverse split //, $digits) {
		$sum += $d * $w;
		$w = 4 - $w;
	}
	return (10 - $sum % 10) % 10;
}

# UPC-E (number system + 6 digits) to the UPC-A it stands for.
sub upce_to_upca {
	my ($e) = @_;
	my ($ns, @d) = split //, $e;
	my $last = $d[5];
	my $body = $last <= 2 ? "$d[0]$d[1]${last}0000$d[2]$d[3]$d[4]" :
	    $last == 3 ? "$d[0]$d[1]$d[2]00000$d[3]$d[4]" :
	    $last == 4 ? "$d[0]$d[1]$d[2]$d[3]00000$d[4]" :
	    "$d[0]$d[1]$d[2]$d[3]$d[4]0000$last";
	my $a = "$ns$body";
	return $a . gs1_check($a);
}

# "[01]...[10]..." as zbar reports GS1: AIs and values run together.
sub gs1_plain {
	my ($s) = @_;
	$s =~ s/[\[\]()]//g;
	return $s;
}

my $URL = 'https://example.com/some/path?x=1';
my $UTF8 = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac";
my $TEXT100 = join(' ', map { "word$_" } 1 .. 16) . ' the end.';
my $TEXT500 = ('Lorem ipsum dolor sit amet, 0123456789! ' x 13);
my $DIGITS = '0123456789' x 20;
my $ALNUM = 'HELLO WORLD 123 $%*+-./:' x 4;

# QR: lengths from 1 to 1,500 bytes, all four levels, mixed modes.
for my $ecc (qw(L M Q H)) {
	for my $case (['1 byte', 'x'], ['URL', $URL], ['UTF-8', $UTF8],
	    ['100 bytes', substr($TEXT100, 0, 100)],
	    ['500 bytes', substr($TEXT500, 0, 500)],
	    ['200 digits', $DIGITS], ['alphanumeric', $ALNUM]) {
		my ($what, $data) = @$case;
		my $size = length($data) > 200 ? 800 : 400;
		decodes("QR $ecc $what", $data, $data, '-e', $ecc,
		    '-s', $size);
	}
}
decodes('QR L 1500 bytes', substr($TEXT500 x 3, 0, 1500),
    substr($TEXT500 x 3, 0, 1500), '-e', 'L', '-s', 1200);
decodes('QR H 1000 bytes', substr($TEXT500 x 2, 0, 1000),
    substr($TEXT500 x 2, 0, 1000), '-e', 'H', '-s', 1200);
decodes('QR default 300 px', $URL, $URL);
decodes('QR margin 0', $URL, $URL, '-m', 0);
decodes('QR smallest modules', $URL, $URL, '-s', 74);

# Colours and transparency.
for my $c (['blue on cream', '--fg', '#1d4ed8', '--bg', '#fffbe6'],
    ['red on white', '--fg', '#b91c1c', '--bg', '#ffffff'],
    ['grey at the threshold', '--fg', '#949494'],
    ['black on transparent', '--bg', 'transparent'],
    ['green on transparent', '--fg', '#065f46', '--bg', 'transparent']) {
	my ($what, @opts) = @$c;
	decodes("QR $what", $URL, $URL, @opts);
	decodes("CODE128 $what", 'Colour 128', 'Colour 128', '-b', 'CODE128',
	    @opts);
	decodes("EAN13 $what", '590123412345', '5901234123457',
	    '-b', 'EAN13', @opts);
}

# The transparent PNG: palette with tRNS, readable as it is by zbar.
{
	my ($st, $img) = render($URL, 'png', '--bg', 'transparent');
	my $b = slurp_raw($img);
	ok($st == 0 && index($b, 'tRNS') > 0, 'transparent PNG has tRNS');
	is(zbar($img), $URL, 'transparent PNG: zbar reads it unflattened');
}

# Linear and stacked barcodes zbar reads.
my @linear = (
	['CODE128', '1', '1'],
	['CODE128', 'Hello, World!', 'Hello, World!'],
	['CODE128', 'The quick brown fox jumps over the lazy dog 1234',
	    'The quick brown fox jumps over the lazy dog 1234', '-s', 1200],
	['CODE128', "tab\there~", "tab\there~", '-s', 600],
	['CODE128', '0123456789012345', '0123456789012345'],
	['CODE39', 'CODE39', 'CODE39'],
	['CODE39', 'HELLO-123 $/+%', 'HELLO-123 $/+%', '-s', 600],
	['CODE93', 'Code 93', 'Code 93'],
	['CODE93', 'FULL ascii: a~{}', 'FULL ascii: a~{}', '-s', 600],
	['CODABAR', 'A123456B', 'A123456B'],
	['CODABAR', 'C0123456789-$:/.+D', 'C0123456789-$:/.+D', '-s', 600],
	['EAN13', '590123412345', '5901234123457'],
	['EAN13', '5901234123457', '5901234123457'],
	['EAN13', '4006381333931', '4006381333931'],
	['EAN8', '9638507', '96385074'],
	['EAN8', '96385074', '96385074'],
	['UPCA', '03600029145', '0036000291452'],
	['UPCA', '036000291452', '0036000291452'],
	['UPCE', '0425261', '0' . upce_to_upca('0425261')],
	['UPCE', '04252614', '0' . upce_to_upca('0425261')],
	['UPCE', '0123453', '0' . upce_to_upca('0123453')],
	['UPCE', '0654327', '0' . upce_to_upca('0654327')],
	['ITF14', '1540014128876', '15400141288763'],
	['ITF14', '15400141288763', '15400141288763'],
	['ITF', '123456', '123456'],
	['ITF', '12345678901234567890', '12345678901234567890', '-s', 600],
	['GS1_128', '[01]09501101530003', '0109501101530003', '-s', 600],
	['GS1_128', '(01)09501101530003(10)ABC123',
	    '010950110153000310ABC123', '-s', 800],
	['DATABAR_OMNI', '0950110153000', '0109501101530003'],
	['DATABAR_OMNI', '09501101530003', '0109501101530003'],
	['DATABAR_STACKED', '0950110153000', '0109501101530003'],
	['DATABAR_STACKED_OMNI', '0950110153000', '0109501101530003'],
	['DATABAR_EXPANDED', '[01]09501101530003[10]ABC',
	    gs1_plain('[01]09501101530003[10]ABC'), '-s', 600],
	['DATABAR_EXPANDED', '[01]09501101530003[3103]001234',
	    gs1_plain('[01]09501101530003[3103]001234'), '-s', 600],
	['DATABAR_EXPANDED_STACKED', '[01]09501101530003[10]ABC',
	    gs1_plain('[01]09501101530003[10]ABC')],
	['QR', $URL, $URL],
	['qr', $UTF8, $UTF8, '-e', 'H'],
);
for my $c (@linear) {
	my ($format, $data, $want, @opts) = @$c;
	decodes("$format " . show($data), $data, $want, '-b', $format, @opts);
}
# zbar misses some linear codes drawn at 1 px per module (a 300 px
# CODE128 of 13 characters): these are drawn at 2 px and more.
decodes('CODE128 margin 0', 'no quiet zone', 'no quiet zone',
    '-b', 'CODE128', '-m', 0, '-s', 600);
decodes('CODE128 margin 10', 'wide quiet zone', 'wide quiet zone',
    '-b', 'CODE128', '-m', 10, '-s', 600);

# Formats zbar cannot read: well-formed, and as large as asked.
my @unread = (
	['DATAMATRIX', $URL, 1], ['DATAMATRIX', 'x', 1],
	['DATAMATRIX', substr($TEXT500, 0, 400), 1],
	['AZTEC', $URL, 1], ['AZTEC', 'x', 1],
	['MICROQR', '12345', 1], ['MAXICODE', 'MaxiCode data', 1],
	['PDF417', $URL, 0], ['PDF417', 'x', 0],
	['MICROPDF417', 'micro 417', 0],
	['CODE11', '123-45', 0], ['MSI', '1234567', 0],
	['DATABAR_LIMITED', '0950110153000', 0],
);
for my $c (@unread) {
	my ($format, $data, $square) = @$c;
	my $name = "$format " . show($data);
	for my $size (300, 777) {
		my ($st, $png, $err) = render($data, 'png', '-b', $format,
		    '-s', $size);
		my ($w, $h, $depth, $type) = $st == 0 ? png_header($png) : ();
		ok($st == 0 && defined $w, "$name $size png: rendered")
		    or diag($err);
		next unless defined $w;
		is($w, $size, "$name $size png: width is the size");
		ok($square ? $h == $size : $h > 0 && $h < $size,
		    "$name $size png: height $h");
		ok($depth == 1 && $type == 3, "$name $size png: 1-bit palette");

		my ($sst, $svg) = render($data, 'svg', '-b', $format,
		    '-s', $size);
		my ($sw, $sh) = $sst == 0 ? svg_size($svg) : ();
		ok(defined $sw && well_formed($svg), "$name $size svg: "
		    . "well-formed");
		next unless defined $sw;
		is($sw, $size, "$name $size svg: width is the size");
		# zint lays text out a little taller in vector than in
		# raster output; grids we draw ourselves match exactly.
		my $slack = $format =~ /^(CODE11|MSI|DATABAR_LIMITED)$/ ?
		    0.1 * $h : 0;
		ok(abs($sh - $h) <= $slack, "$name $size svg: height $sh, as "
		    . "the png's $h" . ($slack ? ' (within 10%)' : ''));
		my $raster = rasterise($svg);
		my ($rw, $rh) = defined $raster ? png_header($raster) : ();
		ok(defined $rw && $rw == $sw && $rh == $sh,
		    "$name $size svg: rsvg-convert draws it $sw x $sh");
	}
}

# Refusals reach the command line: status 1 and the reason on stderr.
for my $c (['-b', 'EAN13', '5901234123458', qr/invalid check digit '8'/],
    ['-s', '10', 'x', qr/size 10 px is out of range/],
    ['--fg', '#eeeeee', 'x', qr/contrast ratio/],
    ['-b', 'CODE39', 'lower', qr/no lower-case letters/]) {
	my $re = pop @$c;
	my ($st, $out, $err) = run_cmd([$RENDER, @$c, '-o', "$TMP/refused"]);
	is($st, 1, "refused: @$c: exit 1");
	like($err, $re, "refused: @$c: reason");
	ok(!-e "$TMP/refused", "refused: @$c: no file");
}
{
	my ($st, undef, $err) = run_cmd([$RENDER, '-f', 'gif', 'x']);
	is($st, 2, 'usage error: exit 2');
	($st, undef, $err) = run_cmd([$RENDER, '-o', "$TMP/no/such/dir/x.png",
	    'x']);
	is($st, 3, 'unwritable output: exit 3');
	spew("$TMP/big", 'a' x 4097);
	($st, undef, $err) = run_cmd([$RENDER, '-s', 4096, '-'],
	    stdin => "$TMP/big");
	is($st, 1, 'stdin over 4096 bytes: exit 1');
	like($err, qr/at most 4096/, 'stdin over 4096 bytes: reason');
}

done_testing();
