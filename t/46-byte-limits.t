# Length limits are byte limits where bytes are copied (issue 10, items
# 1 and 2).  A destination of 2,048 characters could be 8 KB of UTF-8:
# copied into a 4 KB buffer it killed the worker, and one of 4,097-4,160
# bytes was stored and then made every read of its code, and the whole
# listing, answer 500.  Now every route refuses such a value with 422
# before it is copied, the longest value that is accepted reads back
# intact, and a row that cannot be read (written by hand here) is skipped
# and logged by id instead of failing the listing.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP ();
use Encode qw(encode_utf8);
use Qre;

my $T = JSON::PP::true;
my ($email, $tok) = new_account('enterprise');
my $acct = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
my @pids = worker_pids();
ok(@pids >= 1, 'workers are running');

my $EURO_URL = 'https://a.example/' . ('€' x 1400);	# 1,418 chars, 4,218 bytes
my $EDGE_URL = 'https://a.example/' . ('€' x 1360);	# 4,098 bytes
cmp_ok(length(encode_utf8($EURO_URL)), '>', 4096, 'the long URL is > 4 KB');
cmp_ok(length($EURO_URL), '<=', 2048, '... in at most 2,048 characters');

sub refused {
	my ($r, $what) = @_;
	is($r->{status}, 422, "$what: 422");
	is($r->{json}{success}, JSON::PP::false, "$what: error envelope");
	like($r->{json}{error}{message} // '', qr/bytes/,
	    "$what: the message counts bytes");
}

# Codes to aim the changes at.
my $r = api(POST => '/api/codes/generate', token => $tok,
    body => { type => 'qr', data => 'https://example.com/d', isDynamic => $T });
is($r->{status}, 201, 'setup: dynamic code (codes API)');
my $D = $r->{json}{data}{id};
$r = api(POST => '/api/v1/codes', token => $tok,
    body => { type => 'url', mode => 'dynamic', payload => { url => 'https://example.com/v' } });
is($r->{status}, 201, 'setup: dynamic code (v1)');
my $V = $r->{json}{data}{id};
$r = api(POST => '/api/v1/codes', token => $tok,
    body => { type => 'url', mode => 'static', payload => { url => 'https://example.com/s' } });
is($r->{status}, 201, 'setup: static code (v1)');
my $S = $r->{json}{data}{id};

for my $url ($EURO_URL, $EDGE_URL) {
	my $n = length(encode_utf8($url));
	refused(api(POST => '/api/codes/generate', token => $tok,
	    body => { type => 'qr', data => $url, isDynamic => $T }),
	    "generate isDynamic, $n bytes");
	refused(api(PUT => "/api/codes/$D", token => $tok,
	    body => { targetUrl => $url }), "PUT targetUrl, $n bytes");
	refused(api(POST => '/api/v1/codes', token => $tok,
	    body => { type => 'url', mode => 'dynamic', payload => { url => $url } }),
	    "v1 create dynamic, $n bytes");
	refused(api(POST => '/api/v1/codes', token => $tok,
	    body => { type => 'url', mode => 'static', payload => { url => $url } }),
	    "v1 create static, $n bytes");
	refused(api(PATCH => "/api/v1/codes/$V", token => $tok,
	    body => { destination => $url }), "PATCH destination (dynamic), $n bytes");
	refused(api(PATCH => "/api/v1/codes/$S", token => $tok,
	    body => { destination => $url }), "PATCH destination (static), $n bytes");
	refused(api(PUT => "/api/codes/$D", token => $tok,
	    body => { targetData => 'x' x $n }), "PUT targetData, $n bytes");
}

# The longest destination accepted: 4,096 bytes in 2,048 characters or fewer.
my $max = 'https://a.example/' . ('€' x 1359);
$max .= 'x' x (4096 - length(encode_utf8($max)));
is(length(encode_utf8($max)), 4096, 'a 4,096-byte URL');
$r = api(PATCH => "/api/v1/codes/$V", token => $tok, body => { destination => $max });
is($r->{status}, 200, 'a 4,096-byte URL of <= 2,048 characters is accepted');
$r = api(GET => "/api/v1/codes/$V", token => $tok);
is($r->{status}, 200, '... and reads back');
is($r->{json}{data}{payload}{url}, $max, '... intact');
$r = api(GET => "/api/codes/$V", token => $tok);
is($r->{json}{data}{targetUrl}, $max, '... on the codes API too');
$r = api(POST => '/api/codes/generate', token => $tok,
    body => { type => 'qr', data => 'x' x 4097 });
is($r->{status}, 422, 'static data of 4,097 bytes: 422');

is_deeply([ worker_pids() ], \@pids, 'the same workers served it all');

# A row too long for its buffer (only a hand edit can make one now) is
# skipped by listings and logged by id; the rest of the account reads.
my $log = env('QRE_VAR') . '/log/qre-fcgi.log';
my $before = -s $log // 0;
my $bad_id = mysql_value("SELECT id FROM codes WHERE public_id = '$S'");
mysql_value("UPDATE codes SET target = REPEAT('y', 5000), data = REPEAT('y', 5000) "
    . "WHERE id = $bad_id");
for my $path ('/api/v1/codes?perPage=100', '/api/codes?limit=100') {
	$r = api(GET => $path, token => $tok);
	is($r->{status}, 200, "listing $path still answers 200");
	my $list = $path =~ /v1/ ? $r->{json}{data} : $r->{json}{data}{codes};
	my @ids = sort map { $_->{id} } @{ $list // [] };
	is_deeply(\@ids, [ sort($D, $V) ], "... with the readable codes only");
}
$r = api(GET => "/api/v1/codes/$S", token => $tok);
is($r->{status}, 404, 'the unreadable code by id: 404, not 500');
is($r->{json}{success}, JSON::PP::false, '... as a JSON error');
my $text = slurp($log) // '';
$text = substr($text, $before);
like($text, qr/skipped row $bad_id\b/, 'the skipped row is logged by id');
mysql_value("DELETE FROM codes WHERE id = $bad_id");

done_testing();
