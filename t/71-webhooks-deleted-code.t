# Deleting a code whose scans a scan endpoint has not had yet: they stay
# in the outbox as one 'scan' event (more than JSON_ARRAYAGG's default
# 1 MiB of them too), and the delete succeeds.  The event names each
# endpoint's scan cursor at the delete, so scans deleted moments after
# they were made reach the endpoint even when its cursor moved past them
# before the event settled (issue 10, item 4: 45 of 70 items were lost).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;
use Receiver;
use Time::HiRes qw(sleep);

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
is(mysql_value("SELECT JSON_LENGTH(payload, '\$.items') FROM events WHERE account_id = $acct "
    . "AND type = 'scan'"), $n, "... and all $n are in one outbox event");
my $item = mysql_value("SELECT JSON_EXTRACT(payload, '\$.items[0].scan.country') FROM "
    . "events WHERE account_id = $acct AND type = 'scan'");
is($item, '"DE"', 'items have the scan shape');
my $wid = mysql_value("SELECT id FROM webhooks WHERE public_id = '$w->{json}{data}{id}'");
is(mysql_value("SELECT JSON_EXTRACT(payload, '\$.cursors.\"$wid\"') FROM "
    . "events WHERE account_id = $acct AND type = 'scan'"),
    mysql_value("SELECT scan_cursor FROM webhooks WHERE id = $wid"),
    "the event holds the endpoint's cursor at the delete");
api(DELETE => "/api/v1/webhooks/$w->{json}{data}{id}", token => $tok);

# The race: scans, then the delete within a second (or at once, before
# the scans are stored), many times; every scan item reaches a live
# receiver exactly once.
my $rcv = Receiver::start(behaviour => '200');
my $hook = api(POST => '/api/v1/webhooks', token => $tok,
    body => { url => $rcv->{url}, events => ['scan'] });
is($hook->{status}, 201, 'a scan endpoint with a live receiver');
my ($trials, $per, %sent) = (10, 5);
for my $t (1 .. $trials) {
	my $k = api(POST => '/api/v1/codes', token => $tok,
	    body => { type => 'url', payload => { url => "https://example.com/$t" } });
	my ($sc, $id) = @{ $k->{json}{data} }{qw(shortCode id)};
	my $cid = mysql_value("SELECT id FROM codes WHERE public_id = '$id'");
	for (1 .. $per) {
		api(GET => "/$sc", headers => { 'User-Agent' =>
		    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1' });
	}
	# Half the time the code goes before its scans are even stored:
	# they reach the endpoint through the outbox all the same.
	wait_until(5, sub { mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $cid") == $per })
	    if $t % 2;
	$sent{$sc} = $per;
	api(DELETE => "/api/v1/codes/$id", token => $tok);
	sleep(0.1 + rand(1.5));
}
my %got;
my $all = $trials * $per;
wait_until(30, sub {
	%got = ();
	for my $req ($rcv->requests) {
		my $b = Receiver::decoded($req) // next;
		next unless ($b->{event} // '') eq 'scan';
		$got{ $_->{code}{shortCode} }++ for @{ $b->{data}{scans} };
	}
	my $n = 0;
	$n += $_ for values %got;
	$n >= $all;
});
my $n_got = 0;
$n_got += $_ for values %got;
is($n_got, $all, "all $all scan items of deleted codes were delivered");
is_deeply(\%got, \%sent, '... each code\'s scans exactly once');
$rcv->stop;
done_testing();
