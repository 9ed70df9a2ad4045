#!/usr/bin/perl
# t/52-render-itf14-margin.t: every ITF-14 that is drawn scans.  ITF-14's
# bearer bars frame its quiet zone, so with less than the standard's 10
# modules the bearer bar reads as a bar: zbar read none of margins 0 to 6
# (PNG or SVG).  A margin under 10 is now drawn as 10: margins 0 to 32,
# and the default, all read back, from qre-render and through the API,
# which keeps the margin as it was asked for.
#
# Needs: the stack (var/stack.env), a built qre-render ($QRE_BUILD_DIR),
# zbarimg, rsvg-convert.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use File::Spec;
use Cwd qw(abs_path);
use MIME::Base64 qw(decode_base64);
use Qre;
use Tools;

my $ROOT = abs_path("$FindBin::Bin/..");
my $BUILD = $ENV{QRE_BUILD_DIR} // '.';
$BUILD = "$ROOT/$BUILD" unless File::Spec->file_name_is_absolute($BUILD);
my $RENDER = "$BUILD/qre-render";
die "no $RENDER: build qre-render first (or set QRE_BUILD_DIR)\n"
    unless -x $RENDER;

my $TMP = tempdir(CLEANUP => 1);
my $GTIN = '1540014128876';
my $WANT = '15400141288763';	# zbar adds the check digit

# Every margin at 600 px; at 300 px (1 px per module) those raised to 10.
for my $size (300, 600) {
	for my $margin (undef, 0 .. ($size == 600 ? 32 : 10)) {
		for my $fmt (qw(png svg)) {
			my $m = $margin // 'default';
			my $name = "ITF14 $size px margin $m $fmt";
			my $img = "$TMP/itf-$size-$m.$fmt";
			my ($st, undef, $err) = run_cmd([$RENDER, '-b', 'ITF14',
			    '-f', $fmt, '-s', $size, (defined $margin ?
			    ('-m', $margin) : ()), '-o', $img, $GTIN]);
			if ($st != 0) {
				fail("$name: rendered");
				diag($err);
				next;
			}
			my $png = $img;
			if ($fmt eq 'svg') {
				$png = "$img.png";
				run_cmd(['rsvg-convert', '-b', 'white', '-o', $png,
				    $img]);
			}
			is(zbar($png), $WANT, "$name: zbar reads it");
		}
	}
}

# Through the API: margin 0 asked, stored as asked, drawn with 10.
my (undef, $tok) = new_account('enterprise');
for my $fmt (qw(png svg)) {
	my $r = api(POST => '/api/codes/generate', token => $tok, body => {
	    type => 'barcode', barcodeFormat => 'ITF14', data => $GTIN,
	    format => $fmt, saveToLibrary => JSON::PP::true,
	    customization => { margin => 0, size => 600 } });
	is($r->{status}, 201, "API ITF14 margin 0 $fmt: 201")
	    or diag($r->{content});
	my $id = $r->{json}{data}{id} // '';
	$r = api(GET => "/api/codes/$id", token => $tok);
	is($r->{json}{data}{customization}{margin}, 0,
	    "API ITF14 $fmt: margin kept as asked (0)");
	my ($b64) = ($r->{json}{data}{imageBase64} // '') =~ /;base64,(.*)$/s;
	my $img = "$TMP/api.$fmt";
	spew($img, decode_base64($b64 // ''));
	if ($fmt eq 'svg') {
		run_cmd(['rsvg-convert', '-b', 'white', '-o', "$img.png", $img]);
		$img = "$img.png";
	}
	is(zbar($img), $WANT, "API ITF14 margin 0 $fmt: zbar reads it");
}

done_testing();
