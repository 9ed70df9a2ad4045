#!/usr/bin/perl
# t/53-render-maxicode-size.t: MaxiCode is never drawn smaller than it
# scans.  Its SVG was drawn down to 64 px (hexagons of 2 px) and its PNG,
# with margin 0, down to 149 px; both are now refused under 159 px (the
# least PNG zint draws with its quiet zone), with a 422 naming the
# minimum, and every size from 159 px on reads back through ZXing, PNG
# and SVG (rasterised at its size by rsvg-convert), whatever the margin.
#
# Needs: the stack (var/stack.env), a built qre-render ($QRE_BUILD_DIR),
# rsvg-convert, node with docs/node_modules (zxing-wasm, pngjs).
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
my $MIN = 159;
my $DATA = 'MaxiCode data 0123456789';
my $TOO_SMALL = qr/MAXICODE: size (\d+) px is too small: it is drawn at least 159 px wide/;

my @reads;	# [name, png]
for my $fmt (qw(png svg)) {
	for my $margin (undef, 0, 1) {
		my @m = defined $margin ? ('-m', $margin) : ();
		my $mm = $margin // 'default';
		for my $size (64, 100, 120, 149, 150, 158) {
			my ($st, undef, $err) = run_cmd([$RENDER, '-b',
			    'MAXICODE', '-f', $fmt, '-s', $size, @m, '-o',
			    "$TMP/refused", $DATA]);
			is($st, 1, "$fmt $size px margin $mm: refused");
			like($err, $TOO_SMALL, "$fmt $size px margin $mm: reason "
			    . "names 159 px");
		}
		for my $size ($MIN, 160, 200, 300, 1000) {
			my $img = "$TMP/maxi-$size-$mm.$fmt";
			my ($st, undef, $err) = run_cmd([$RENDER, '-b',
			    'MAXICODE', '-f', $fmt, '-s', $size, @m, '-o', $img,
			    $DATA]);
			is($st, 0, "$fmt $size px margin $mm: drawn") or diag($err);
			next if $st != 0;
			if ($fmt eq 'svg') {
				run_cmd(['rsvg-convert', '-b', 'white', '-o',
				    "$img.png", $img]);
				$img = "$img.png";
			}
			push @reads, ["$fmt $size px margin $mm", $img];
		}
	}
}

# A wider margin needs more than 159 px in PNG, whose hexagons zint
# draws at whole scales (the reason names the size), and scales in SVG.
{
	my ($st, undef, $err) = run_cmd([$RENDER, '-b', 'MAXICODE', '-s', 159,
	    '-m', 4, '-o', "$TMP/refused", $DATA]);
	is($st, 1, 'png 159 px margin 4: refused');
	like($err, qr/size 159 px is too small for this symbol: it needs a size of at least 189 px/,
	    'png 159 px margin 4: reason names 189 px');
	for my $c (['png', 189], ['svg', 159]) {
		my ($fmt, $size) = @$c;
		my $img = "$TMP/maxi-m4-$size.$fmt";
		($st, undef, $err) = run_cmd([$RENDER, '-b', 'MAXICODE', '-f',
		    $fmt, '-s', $size, '-m', 4, '-o', $img, $DATA]);
		is($st, 0, "$fmt $size px margin 4: drawn") or diag($err);
		if ($fmt eq 'svg') {
			run_cmd(['rsvg-convert', '-b', 'white', '-o', "$img.png",
			    $img]);
			$img = "$img.png";
		}
		push @reads, ["$fmt $size px margin 4", $img];
	}
}

# Through the API: 158 px refused, 159 px drawn.
my (undef, $tok) = new_account('enterprise');
for my $fmt (qw(png svg)) {
	my $r = api(POST => '/api/codes/generate', token => $tok, body => {
	    type => 'barcode', barcodeFormat => 'MAXICODE', data => $DATA,
	    format => $fmt, customization => { size => 158 } });
	is($r->{status}, 422, "API $fmt 158 px: 422");
	is($r->{json}{error}{code}, 'unprocessable', "API $fmt 158 px: code");
	like($r->{json}{error}{message} // '', $TOO_SMALL,
	    "API $fmt 158 px: the message names 159 px");
	$r = api(POST => '/api/codes/generate', token => $tok, body => {
	    type => 'barcode', barcodeFormat => 'MAXICODE', data => $DATA,
	    format => $fmt, customization => { size => $MIN } });
	is($r->{status}, 200, "API $fmt 159 px: 200") or diag($r->{content});
	is($r->{json}{data}{width}, $MIN, "API $fmt 159 px: width");
	my ($b64) = ($r->{json}{data}{imageBase64} // '') =~ /;base64,(.*)$/s;
	my $img = "$TMP/api.$fmt";
	spew($img, decode_base64($b64 // ''));
	if ($fmt eq 'svg') {
		run_cmd(['rsvg-convert', '-b', 'white', '-o', "$img.png", $img]);
		$img = "$img.png";
	}
	push @reads, ["API $fmt 159 px", $img];
}

my @got = zxing(map { $_->[1] } @reads);
for my $i (0 .. $#reads) {
	my ($format, $text) = @{ $got[$i] };
	ok(defined $format && $format eq 'MaxiCode' && defined $text &&
	    $text eq $DATA, "$reads[$i][0]: ZXing reads it back")
	    or diag('got ' . ($text // 'nothing'));
}

done_testing();
