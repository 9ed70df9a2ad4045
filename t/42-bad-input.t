# The bad-input run: wrong types, unknown fields, huge data, sizes out of
# range, colours that are not colours, EAN-13 with letters, JSON nesting
# bombs, invalid UTF-8, duplicate members, negative offsets, ids that are
# not ids, and PUTs with bad values on existing codes.  Every one must be
# answered with the JSON error envelope and the right 4xx status (never
# a 5xx, never an HTML page), and afterwards the account's stored codes
# must be byte-identical and the same worker processes must be serving.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP ();
use Qre;

my $T = JSON::PP::true;
my $F = JSON::PP::false;

my ($email, $tok) = new_account('enterprise');
my $acct = mysql_value("SELECT id FROM accounts WHERE email = '$email'");

sub generate {
	my (%body) = @_;
	return api(POST => '/api/codes/generate', token => $tok, body => \%body);
}

# Three codes to aim the PUTs at: static QR, EAN-13, dynamic QR.
my $r = generate(type => 'qr', data => 'keep me', name => 'static',
    saveToLibrary => $T, customization => { errorCorrection => 'H' });
is($r->{status}, 201, 'setup: static QR');
my $S = $r->{json}{data}{id};
$r = generate(type => 'barcode', barcodeFormat => 'EAN13', data => '590123412345',
    name => 'ean', saveToLibrary => $T);
is($r->{status}, 201, 'setup: EAN-13');
my $B = $r->{json}{data}{id};
$r = generate(type => 'qr', data => 'https://example.com/dest', isDynamic => $T,
    name => 'dynamic');
is($r->{status}, 201, 'setup: dynamic QR');
my $D = $r->{json}{data}{id};

# Everything stored for the account, as one string; and the processes.
sub snapshot {
	return mysql_value("SELECT CONCAT(COUNT(*), ':', IFNULL(MD5(GROUP_CONCAT("
	    . "CONCAT_WS('|', public_id, IFNULL(HEX(name), '~'), kind, "
	    . "IFNULL(barcode_format, '~'), image_format, HEX(data), is_dynamic, "
	    . "IFNULL(short_code, '~'), IFNULL(target_type, '~'), "
	    . "IFNULL(HEX(target), '~'), is_active, color, background, size, ecc, "
	    . "IFNULL(margin, '~'), scans, created_at, updated_at) "
	    . "ORDER BY id SEPARATOR '\\n')), '-')) FROM codes "
	    . "WHERE account_id = $acct");
}
my $snap = snapshot();
like($snap, qr/^3:[0-9a-f]{32}$/, "snapshot before: $snap");
my $master = master_pid();
my @workers = worker_pids($master);
ok(@workers >= 1, "workers before: @workers");

my $G = '/api/codes/generate';
my $U = sub { "/api/codes/$_[0]" };
my $long_url = 'https://example.com/' . ('a' x 2040);
my $members65 = '{' . join(',', map { "\"k$_\":1" } 1 .. 65) . '}';

# [what, method, path, body (ref: JSON-encoded; string: sent as is),
#  status, error code, message pattern, headers]
my @cases = (
	# Wrong JSON types: 400 invalid_field naming the field.
	['type a number', POST => $G, { type => 1, data => 'x' }, 400, 'invalid_field', qr/^type must be a string/],
	['data a number', POST => $G, { type => 'qr', data => 12345 }, 400, 'invalid_field', qr/^data must be a string/],
	['data an array', POST => $G, { type => 'qr', data => ['x'] }, 400, 'invalid_field', qr/^data must be a string/],
	['data an object', POST => $G, { type => 'qr', data => { x => 1 } }, 400, 'invalid_field', qr/^data must be a string/],
	['name a number', POST => $G, { type => 'qr', data => 'x', name => 5 }, 400, 'invalid_field', qr/^name must be a string/],
	['format a boolean', POST => $G, { type => 'qr', data => 'x', format => $T }, 400, 'invalid_field', qr/^format must be a string/],
	['barcodeFormat a number', POST => $G, { type => 'barcode', data => '1', barcodeFormat => 13 }, 400, 'invalid_field', qr/^barcodeFormat must be a string/],
	['saveToLibrary a string', POST => $G, { type => 'qr', data => 'x', saveToLibrary => 'true' }, 400, 'invalid_field', qr/^saveToLibrary must be true or false/],
	['isDynamic a number', POST => $G, { type => 'qr', data => 'x', isDynamic => 1 }, 400, 'invalid_field', qr/^isDynamic must be true or false/],
	['customization a string', POST => $G, { type => 'qr', data => 'x', customization => 'big' }, 400, 'invalid_field', qr/^customization must be an object/],
	['customization an array', POST => $G, { type => 'qr', data => 'x', customization => [] }, 400, 'invalid_field', qr/^customization must be an object/],
	['size a string', POST => $G, { type => 'qr', data => 'x', customization => { size => '300' } }, 400, 'invalid_field', qr/^size must be an integer/],
	['size a fraction', POST => $G, '{"type":"qr","data":"x","customization":{"size":300.5}}', 400, 'invalid_field', qr/^size must be an integer/],
	['size 3e2', POST => $G, '{"type":"qr","data":"x","customization":{"size":3e2}}', 400, 'invalid_field', qr/^size must be an integer/],
	['size a boolean', POST => $G, { type => 'qr', data => 'x', customization => { size => $T } }, 400, 'invalid_field', qr/^size must be an integer/],
	['margin a string', POST => $G, { type => 'qr', data => 'x', customization => { margin => '4' } }, 400, 'invalid_field', qr/^margin must be an integer/],
	['color a number', POST => $G, { type => 'qr', data => 'x', customization => { color => 0 } }, 400, 'invalid_field', qr/^color must be a string/],
	['errorCorrection an array', POST => $G, { type => 'qr', data => 'x', customization => { errorCorrection => ['H'] } }, 400, 'invalid_field', qr/^errorCorrection must be a string/],
	['data with \u0000', POST => $G, '{"type":"qr","data":"a\u0000b"}', 400, 'invalid_field', qr/^data must not contain NUL/],

	# Missing required fields.
	['no type', POST => $G, { data => 'x' }, 400, 'invalid_field', qr/^type is required$/],
	['type null', POST => $G, { type => undef, data => 'x' }, 400, 'invalid_field', qr/^type is required$/],
	['no data', POST => $G, { type => 'qr' }, 400, 'invalid_field', qr/^data is required$/],
	['barcode without barcodeFormat', POST => $G, { type => 'barcode', data => '123' }, 400, 'invalid_field', qr/^barcodeFormat is required for barcodes$/],

	# Values out of range: 422 unprocessable naming the field.
	['type QR (upper case)', POST => $G, { type => 'QR', data => 'x' }, 422, 'unprocessable', qr/^type must be "qr" or "barcode"/],
	['type pdf', POST => $G, { type => 'pdf', data => 'x' }, 422, 'unprocessable', qr/^type must be/],
	['empty data', POST => $G, { type => 'qr', data => '' }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['data 4097 bytes', POST => $G, { type => 'qr', data => 'x' x 4097 }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['huge data (60000 bytes)', POST => $G, { type => 'qr', data => 'x' x 60000 }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['huge data, saved', POST => $G, { type => 'qr', data => 'y' x 60000, saveToLibrary => $T }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['4096 bytes do not fit a QR code', POST => $G, { type => 'qr', data => 'x' x 4096, saveToLibrary => $T }, 422, 'unprocessable', qr/QR: 4096 bytes .*do not fit/],
	['size 0', POST => $G, { type => 'qr', data => 'x', customization => { size => 0 } }, 422, 'unprocessable', qr/^size must be between 64 and 4096/],
	['size 100000', POST => $G, { type => 'qr', data => 'x', customization => { size => 100000 } }, 422, 'unprocessable', qr/^size must be between 64 and 4096/],
	['size 63', POST => $G, { type => 'qr', data => 'x', customization => { size => 63 } }, 422, 'unprocessable', qr/^size must be between 64 and 4096/],
	['size 4097', POST => $G, { type => 'qr', data => 'x', customization => { size => 4097 } }, 422, 'unprocessable', qr/^size must be between 64 and 4096/],
	['size -1', POST => $G, { type => 'qr', data => 'x', customization => { size => -1 } }, 422, 'unprocessable', qr/^size must be between 64 and 4096/],
	['size 1e23 digits', POST => $G, '{"type":"qr","data":"x","customization":{"size":99999999999999999999999}}', 422, 'unprocessable', qr/^size must be between/],
	['margin 33', POST => $G, { type => 'qr', data => 'x', customization => { margin => 33 } }, 422, 'unprocessable', qr/^margin must be between 0 and 32/],
	['margin -1', POST => $G, { type => 'qr', data => 'x', customization => { margin => -1 } }, 422, 'unprocessable', qr/^margin must be between 0 and 32/],
	['errorCorrection X', POST => $G, { type => 'qr', data => 'x', customization => { errorCorrection => 'X' } }, 422, 'unprocessable', qr/^errorCorrection must be L, M, Q or H/],
	['errorCorrection HH', POST => $G, { type => 'qr', data => 'x', customization => { errorCorrection => 'HH' } }, 422, 'unprocessable', qr/^errorCorrection must be/],
	['colour "red;"', POST => $G, { type => 'qr', data => 'x', customization => { color => 'red;' } }, 422, 'unprocessable', qr/^color must be #RRGGBB, not 'red;'/],
	['colour #12345', POST => $G, { type => 'qr', data => 'x', customization => { color => '#12345' } }, 422, 'unprocessable', qr/^color must be #RRGGBB/],
	['colour #GGGGGG', POST => $G, { type => 'qr', data => 'x', customization => { color => '#GGGGGG' } }, 422, 'unprocessable', qr/^color must be #RRGGBB/],
	['colour transparent', POST => $G, { type => 'qr', data => 'x', customization => { color => 'transparent' } }, 422, 'unprocessable', qr/^color must be #RRGGBB/],
	['colour with markup', POST => $G, { type => 'qr', data => 'x', format => 'svg', customization => { color => '#000"/><script>' } }, 422, 'unprocessable', qr/^color must be #RRGGBB/],
	['backgroundColor "transparent;"', POST => $G, { type => 'qr', data => 'x', customization => { backgroundColor => 'transparent;' } }, 422, 'unprocessable', qr/^backgroundColor must be #RRGGBB or "transparent"/],
	['colours too close', POST => $G, { type => 'qr', data => 'x', customization => { color => '#EEEEEE' } }, 422, 'unprocessable', qr/contrast/],
	['white on transparent', POST => $G, { type => 'qr', data => 'x', customization => { color => '#FFFFFF', backgroundColor => 'transparent' } }, 422, 'unprocessable', qr/contrast/],
	['format gif', POST => $G, { type => 'qr', data => 'x', format => 'gif' }, 422, 'unprocessable', qr/^format must be "png" or "svg"/],
	['barcodeFormat FOO', POST => $G, { type => 'barcode', barcodeFormat => 'FOO', data => '1' }, 422, 'unprocessable', qr/^barcodeFormat 'FOO' is not supported/],
	['EAN13 with letters', POST => $G, { type => 'barcode', barcodeFormat => 'EAN13', data => '59012341234X' }, 422, 'unprocessable', qr/EAN13: digits only/],
	['EAN13 with letters, saved', POST => $G, { type => 'barcode', barcodeFormat => 'EAN13', data => 'ABCDEFGHIJKL', saveToLibrary => $T }, 422, 'unprocessable', qr/EAN13: digits only/],
	['EAN13 bad check digit', POST => $G, { type => 'barcode', barcodeFormat => 'EAN13', data => '5901234123458' }, 422, 'unprocessable', qr/EAN13: invalid check digit '8', expecting '7'/],
	['EAN13 14 digits', POST => $G, { type => 'barcode', barcodeFormat => 'EAN13', data => '12345678901234' }, 422, 'unprocessable', qr/EAN13: .*14/],
	['isDynamic on a barcode', POST => $G, { type => 'barcode', barcodeFormat => 'CODE128', data => 'x', isDynamic => $T }, 422, 'unprocessable', qr/^isDynamic is for QR codes only/],
	['empty name', POST => $G, { type => 'qr', data => 'x', name => '' }, 422, 'unprocessable', qr/^name must not be empty/],
	['blank name', POST => $G, { type => 'qr', data => 'x', name => '   ' }, 422, 'unprocessable', qr/^name must not be empty/],
	['name 201 characters', POST => $G, { type => 'qr', data => 'x', name => 'n' x 201, saveToLibrary => $T }, 422, 'unprocessable', qr/^name must be at most 200 characters/],
	['name with a newline', POST => $G, { type => 'qr', data => 'x', name => "a\nb", saveToLibrary => $T }, 422, 'unprocessable', qr/^name must not contain control characters/],
	['dynamic: "http://" only', POST => $G, { type => 'qr', data => 'http://', isDynamic => $T }, 422, 'unprocessable', qr/^data must be an http or https URL/],
	['dynamic: URL with a space', POST => $G, { type => 'qr', data => 'https://exa mple.com/', isDynamic => $T }, 422, 'unprocessable', qr/^data must be an http or https URL/],
	['dynamic: URL over 2048', POST => $G, { type => 'qr', data => $long_url, isDynamic => $T }, 422, 'unprocessable', qr/^data must be a URL of at most 2048 characters/],
	['dynamic: text over 4096', POST => $G, { type => 'qr', data => 't' x 4097, isDynamic => $T }, 422, 'unprocessable', qr/^data must be at most 4096 bytes/],

	# Bodies that are not (acceptable) JSON: 400 invalid_json.
	['truncated JSON', POST => $G, '{"type":"qr",', 400, 'invalid_json', qr/not valid JSON/],
	['trailing garbage', POST => $G, '{"type":"qr","data":"x"} x', 400, 'invalid_json', qr/not valid JSON/],
	['two objects', POST => $G, '{"type":"qr","data":"x"}{}', 400, 'invalid_json', qr/not valid JSON/],
	['trailing comma', POST => $G, '{"type":"qr","data":"x",}', 400, 'invalid_json', qr/not valid JSON/],
	['single quotes', POST => $G, "{'type':'qr','data':'x'}", 400, 'invalid_json', qr/not valid JSON/],
	['single-quoted value', POST => $G, "{\"type\":'qr',\"data\":\"x\"}", 400, 'invalid_json', qr/not valid JSON/],
	['comment', POST => $G, '{"type":"qr",/* c */"data":"x"}', 400, 'invalid_json', qr/not valid JSON/],
	['NaN', POST => $G, '{"type":"qr","data":"x","customization":{"size":NaN}}', 400, 'invalid_json', qr/not valid JSON/],
	['Infinity', POST => $G, '{"type":"qr","data":"x","customization":{"size":Infinity}}', 400, 'invalid_json', qr/not valid JSON/],
	['duplicate member', POST => $G, '{"type":"qr","type":"barcode","data":"x"}', 400, 'invalid_json', qr/member "type" appears twice/],
	['duplicate member, nested', POST => $G, '{"type":"qr","data":"x","customization":{"size":100,"size":200}}', 400, 'invalid_json', qr/member "size" appears twice/],
	['duplicate member, escaped spelling', POST => $G, '{"type":"barcode","t\u0079pe":"qr","data":"x"}', 400, 'invalid_json', qr/twice/],
	['nesting bomb [[[...', POST => $G, '[' x 30000 . ']' x 30000, 400, 'invalid_json', qr/nesting deeper than 16/],
	['nesting bomb {"a":{"a":...', POST => $G, '{"a":' x 5000 . '1' . '}' x 5000, 400, 'invalid_json', qr/nesting deeper than 16/],
	['nesting bomb, unclosed', POST => $G, '{"a":[' x 10000, 400, 'invalid_json', qr/not valid JSON/],
	['17 levels in customization', POST => $G, '{"type":"qr","data":"x","customization":' . '{"a":' x 16 . '1' . '}' x 16 . '}', 400, 'invalid_json', qr/nesting deeper than 16/],
	['invalid UTF-8 (\xff\xfe)', POST => $G, qq({"type":"qr","data":"a\xff\xfeb"}), 400, 'invalid_json', qr/utf-8/i],
	['invalid UTF-8 (truncated sequence)', POST => $G, qq({"type":"qr","data":"a\xc3"}), 400, 'invalid_json', qr/not valid JSON/],
	['invalid UTF-8 (lone continuation byte)', POST => $G, qq({"type":"qr","name":"\x80","data":"x"}), 400, 'invalid_json', qr/not valid JSON/],
	['invalid UTF-8 (overlong /), saved', POST => $G, qq({"type":"qr","data":"x","name":"a\xc0\xafb","saveToLibrary":true}), 400, 'invalid_json', qr/not valid JSON/],
	['invalid UTF-8 (overlong /), not saved', POST => $G, qq({"type":"qr","data":"a\xc0\xafb"}), 400, 'invalid_json', qr/not valid JSON/],
	['invalid UTF-8 (encoded surrogate)', POST => $G, qq({"type":"qr","data":"a\xed\xa0\x80b"}), 400, 'invalid_json', qr/not valid JSON/],
	['invalid UTF-8 (above U+10FFFF), saved', POST => $G, qq({"type":"qr","data":"a\xf4\x90\x80\x80b","saveToLibrary":true}), 400, 'invalid_json', qr/not valid JSON/],
	['65 members in one object', POST => $G, $members65, 400, 'invalid_json', qr/more than 64 members/],
	['65 members in customization', POST => $G, '{"type":"qr","data":"x","customization":' . $members65 . '}', 400, 'invalid_json', qr/more than 64 members/],
	['a JSON array', POST => $G, '[{"type":"qr","data":"x"}]', 400, 'invalid_json', qr/must be a JSON object/],
	['a JSON string', POST => $G, '"qr"', 400, 'invalid_json', qr/must be a JSON object/],
	['null', POST => $G, 'null', 400, 'invalid_json', qr/not valid JSON/],
	['white space only', POST => $G, "  \n ", 400, 'invalid_json', qr/not valid JSON/],
	['empty body', POST => $G, '', 400, 'invalid_json', qr/empty/],
	['NUL byte in the body', POST => $G, qq({"type":"qr","data":"x"}\x00), 400, 'invalid_json', qr/NUL/],
	['UTF-8 BOM', POST => $G, qq(\xef\xbb\xbf{"type":"qr","data":"x"}), 400, 'invalid_json', qr/not valid JSON/],

	# Size and media type.
	['body over 64 KiB', POST => $G, '{"type":"qr","data":"' . ('x' x 70000) . '"}', 413, 'payload_too_large', qr/larger than/],
	['text/plain', POST => $G, '{"type":"qr","data":"x"}', 415, 'unsupported_media_type', qr/^Content-Type must be application\/json/, { 'Content-Type' => 'text/plain' }],
	['form encoded', POST => $G, 'type=qr&data=x', 415, 'unsupported_media_type', qr/Content-Type/, { 'Content-Type' => 'application/x-www-form-urlencoded' }],
	['application/jsonp', POST => $G, '{"type":"qr","data":"x"}', 415, 'unsupported_media_type', qr/Content-Type/, { 'Content-Type' => 'application/jsonp' }],

	# The listing's query.
	['limit=abc', GET => '/api/codes?limit=abc', undef, 400, 'invalid_field', qr/^limit must be an integer/],
	['limit empty', GET => '/api/codes?limit=', undef, 400, 'invalid_field', qr/^limit must be an integer/],
	['limit=1.5', GET => '/api/codes?limit=1.5', undef, 400, 'invalid_field', qr/^limit must be an integer/],
	['limit=0', GET => '/api/codes?limit=0', undef, 422, 'unprocessable', qr/^limit must be between 1 and 100/],
	['limit=101', GET => '/api/codes?limit=101', undef, 422, 'unprocessable', qr/^limit must be between 1 and 100/],
	['limit=-5', GET => '/api/codes?limit=-5', undef, 422, 'unprocessable', qr/^limit must be between 1 and 100/],
	['offset=-1', GET => '/api/codes?offset=-1', undef, 422, 'unprocessable', qr/^offset must be between 0 and/],
	['offset=-100000', GET => '/api/codes?offset=-100000', undef, 422, 'unprocessable', qr/^offset must be between 0 and/],
	['offset=abc', GET => '/api/codes?offset=abc', undef, 400, 'invalid_field', qr/^offset must be an integer/],
	['offset 20 digits', GET => '/api/codes?offset=99999999999999999999', undef, 422, 'unprocessable', qr/^offset must be between/],
	['type=foo', GET => '/api/codes?type=foo', undef, 422, 'unprocessable', qr/^type must be "qr" or "barcode"/],
	['type=QR', GET => '/api/codes?type=QR', undef, 422, 'unprocessable', qr/^type must be/],

	# Ids that are not ids (or not ours).
	['GET /api/codes/abc', GET => $U->('abc'), undef, 404, 'not_found', qr/abc/],
	['GET /api/codes/1', GET => $U->('1'), undef, 404, 'not_found', qr/No code/],
	['GET 16 base62, unknown', GET => $U->('AAAAAAAAAAAAAAAA'), undef, 404, 'not_found', qr/No code/],
	['GET 17 characters', GET => $U->($S . 'x'), undef, 404, 'not_found', qr/No code/],
	['GET encoded ../../etc', GET => $U->('%2e%2e%2f%2e%2e%2fetc'), undef, 404, 'not_found', qr/No code/],
	['GET SQL in the id', GET => $U->('%27%20OR%201%3D1%20--%20'), undef, 404, 'not_found', qr/No code/],
	['GET a 5000-character id', GET => $U->('a' x 5000), undef, 404, 'not_found', qr/./],
	['PUT /api/codes/abc', PUT => $U->('abc'), { name => 'x' }, 404, 'not_found', qr/abc/],
	['DELETE /api/codes/abc', DELETE => $U->('abc'), undef, 404, 'not_found', qr/abc/],
	['DELETE unknown 16 base62', DELETE => $U->('BBBBBBBBBBBBBBBB'), undef, 404, 'not_found', qr/No code/],
	['PATCH an existing code', PATCH => $U->($S), { name => 'x' }, 405, 'method_not_allowed', qr/PATCH/],

	# PUT with bad values on existing codes: nothing may change.
	['PUT name a number', PUT => $U->($S), { name => 5 }, 400, 'invalid_field', qr/^name must be a string/],
	['PUT empty name', PUT => $U->($S), { name => '' }, 422, 'unprocessable', qr/^name must not be empty/],
	['PUT name 201 characters', PUT => $U->($S), { name => 'n' x 201 }, 422, 'unprocessable', qr/^name must be at most 200/],
	['PUT name with a tab', PUT => $U->($D), { name => "a\tb" }, 422, 'unprocessable', qr/^name must not contain control/],
	['PUT isActive "no"', PUT => $U->($S), { isActive => 'no' }, 400, 'invalid_field', qr/^isActive must be true or false/],
	['PUT good name, bad isActive', PUT => $U->($S), { name => 'changed', isActive => 'no' }, 400, 'invalid_field', qr/^isActive/],
	['PUT good name, bad data', PUT => $U->($B), { name => 'changed', data => 'ABC' }, 422, 'unprocessable', qr/EAN13: digits only/],
	['PUT data a number', PUT => $U->($S), { data => 123 }, 400, 'invalid_field', qr/^data must be a string/],
	['PUT empty data', PUT => $U->($S), { data => '' }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['PUT data 5000 bytes', PUT => $U->($S), { data => 'x' x 5000 }, 422, 'unprocessable', qr/^data must be 1 to 4096 bytes/],
	['PUT data too long for QR level H', PUT => $U->($S), { data => 'x' x 2000 }, 422, 'unprocessable', qr/QR: .*level H/],
	['PUT EAN13 data with letters', PUT => $U->($B), { data => 'ABCDEFGHIJKL' }, 422, 'unprocessable', qr/EAN13: digits only/],
	['PUT EAN13 bad check digit', PUT => $U->($B), { data => '5901234123458' }, 422, 'unprocessable', qr/check digit/],
	['PUT targetUrl on a static code', PUT => $U->($S), { targetUrl => 'https://example.com/' }, 422, 'unprocessable', qr/^targetUrl is for dynamic codes only/],
	['PUT targetData on a barcode', PUT => $U->($B), { targetData => 'x' }, 422, 'unprocessable', qr/^targetData is for dynamic codes only/],
	['PUT data on a dynamic code', PUT => $U->($D), { data => 'x' }, 422, 'unprocessable', qr/^data cannot change on a dynamic code/],
	['PUT targetUrl ftp://', PUT => $U->($D), { targetUrl => 'ftp://example.com/' }, 422, 'unprocessable', qr/^targetUrl must be an http or https URL/],
	['PUT targetUrl javascript:', PUT => $U->($D), { targetUrl => 'javascript:alert(1)' }, 422, 'unprocessable', qr/^targetUrl must be an http or https URL/],
	['PUT targetUrl over 2048', PUT => $U->($D), { targetUrl => $long_url }, 422, 'unprocessable', qr/^targetUrl must be a URL of at most 2048/],
	['PUT targetUrl and targetData', PUT => $U->($D), { targetUrl => 'https://a.example/', targetData => 'b' }, 422, 'unprocessable', qr/targetUrl or targetData, not both/],
	['PUT targetUrl a number', PUT => $U->($D), { targetUrl => 123 }, 400, 'invalid_field', qr/^targetUrl must be a string/],
	['PUT targetUrl null', PUT => $U->($D), { targetUrl => undef }, 400, 'invalid_field', qr/^targetUrl must be a string/],
	['PUT empty targetData', PUT => $U->($D), { targetData => '' }, 422, 'unprocessable', qr/^targetData must not be empty/],
	['PUT targetData 4097 bytes', PUT => $U->($D), { targetData => 't' x 4097 }, 422, 'unprocessable', qr/^targetData must be at most 4096 bytes/],
	['PUT malformed JSON', PUT => $U->($D), '{"name":', 400, 'invalid_json', qr/not valid JSON/],
	['PUT duplicate member', PUT => $U->($D), '{"name":"a","name":"b"}', 400, 'invalid_json', qr/member "name" appears twice/],
	['PUT nesting bomb', PUT => $U->($S), '{"name":' . '[' x 30000 . ']' x 30000 . '}', 400, 'invalid_json', qr/nesting/],
	['PUT empty body', PUT => $U->($S), '', 400, 'invalid_json', qr/empty/],
	['PUT text/plain', PUT => $U->($S), '{"name":"x"}', 415, 'unsupported_media_type', qr/Content-Type/, { 'Content-Type' => 'text/plain' }],
	['PUT body over 64 KiB', PUT => $U->($S), '{"name":"' . ('x' x 70000) . '"}', 413, 'payload_too_large', qr/larger than/],
	['PUT invalid UTF-8 (overlong) in name', PUT => $U->($S), qq({"name":"a\xc0\xafb"}), 400, 'invalid_json', qr/not valid JSON/],
	['PUT invalid UTF-8 (\xff) in name', PUT => $U->($S), qq({"name":"a\xffb"}), 400, 'invalid_json', qr/utf-8/i],
);

# One request, checked as an error envelope with the expected status:
# the status, then the envelope's shape and code, then the message.
sub check_error {
	my ($what, $r, $status, $code, $re) = @_;
	my $j = ref $r->{json} eq 'HASH' ? $r->{json} : {};
	my $e = ref $j->{error} eq 'HASH' ? $j->{error} : {};
	my $ok = is($r->{status}, $status, "$what: $status");
	$ok &= is_deeply({ contentType => $r->{headers}{'content-type'},
	    members => [sort keys %$j], success => $j->{success},
	    errorMembers => [sort keys %$e], code => $e->{code} },
	    { contentType => 'application/json', members => [qw(error success)],
	    success => $F, errorMembers => [qw(code message)], code => $code },
	    "$what: JSON error envelope, code $code");
	$ok &= like($e->{message} // '', $re, "$what: message");
	diag("$what: got $r->{status} " . substr($r->{content} // '', 0, 200))
	    unless $ok;
}

for my $c (@cases) {
	my ($what, $method, $path, $body, $status, $code, $re, $headers) = @$c;
	my $r = api($method, $path, token => $tok,
	    defined $body ? (body => $body) : (),
	    $headers ? (headers => $headers) : ());
	check_error($what, $r, $status, $code, $re);
}

# Paths nginx normalises or refuses: 404 or 400, never a 5xx, and the JSON
# envelope.
# "%00" is refused by nginx itself.
for my $p ('/api/codes/../../etc', '/api/codes/../codes/abc', '/api/codes/./abc',
    '/api/codes/%00') {
	my $r = api(GET => $p, token => $tok);
	ok($r->{status} == 404 || $r->{status} == 400, "GET $p: 404 or 400 ($r->{status})");
	is($r->{json}{success}, $F, "GET $p: the JSON envelope");
}

# Unknown fields are ignored, at the top and inside customization.
my $r2 = api(POST => $G, token => $tok, body => { type => 'qr', data => 'x',
    colour => 'red', foo => { bar => [1, 2] }, customization => { shape => 'round',
    size => 128 } });
is($r2->{status}, 200, 'unknown fields ignored: 200');
is($r2->{json}{data}{id}, undef, 'unknown fields: not saved');
is($r2->{json}{data}{width}, 128, 'unknown fields: the known ones still apply');
$r2 = api(POST => $G, token => $tok, body => '{"type":"qr","data":"x",'
    . join(',', map { "\"k$_\":1" } 1 .. 62) . '}');
is($r2->{status}, 200, '64 members in one object: accepted');

# Afterwards: the same data, the same processes.
is(snapshot(), $snap, 'stored codes byte-identical after the run');
is(api(GET => '/api/codes', token => $tok)->{json}{data}{total}, 3, 'still three codes');
is(master_pid(), $master, 'same master');
is_deeply([worker_pids($master)], \@workers, 'same worker processes');
done_testing();
