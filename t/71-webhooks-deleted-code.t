# Deleting a code whose scans a scan endpoint has not had yet: they stay
# in the outbox as one 'scan' event (more than JSON_ARRAYAGG's default
# 1 MiB of them too), and the delete succeeds.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;

my ($email, $tok) = new_account('enterprise');
my $acct = mysql_value("SELECT id FROM accounts WHERE email = '$email'");
# An allowlisted address where nothing listens: deliveries just fail.
my $w = api(POST => '/api/v1/webhooks', token => $tok,
    body => { url => 'http://127.0.0.1:9/nobody', events => ['scan'] });
is($w->{status}, 201, 'a scan endpoint');
my $c = api(POST => '/api/v1/codes', token => $tok,
    body => { type => 'url', payload => { url => 'https://example.com/d' } });
is($c->{status}, 201, 'a dynamic code');
my $code = mysql_value("SELECT id FROM codes WHERE public_id = '$c->{json}{data}{id}'");
my $n = 6000;
mysql_value("INSERT INTO scans (code_id, scanned_at, country, device, os, "
    . "browser, referrer, is_bot, visitor_hash) SELECT $code, UTC_TIMESTAMP(3), "
    . "'DE', 'mobile', 'iOS', 'Safari', CONCAT('https://site', seq, "
    . "'.example/some/long/path/to/make/the/item/bigger'), 0, UNHEX(MD5(seq)) "
    . "FROM seq_1_to_$n");
my $d = api(DELETE => "/api/v1/codes/$c->{json}{data}{id}", token => $tok);
is($d->{status}, 200, "delete with $n undelivered scans: 200");
is(mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $code"), 0,
    'its scans are gone from scans');
is(mysql_value("SELECT JSON_LENGTH(payload) FROM events WHERE account_id = $acct "
    . "AND type = 'scan'"), $n, "... and all $n are in one outbox event");
my $item = mysql_value("SELECT JSON_EXTRACT(payload, '\$[0].scan.country') FROM "
    . "events WHERE account_id = $acct AND type = 'scan'");
is($item, '"DE"', 'items have the scan shape');
api(DELETE => "/api/v1/webhooks/$w->{json}{data}{id}", token => $tok);
done_testing();
