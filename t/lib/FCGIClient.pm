package FCGIClient;
# A small FastCGI client (the responder role) speaking straight to a
# qre-fcgi socket, so that process tests need no nginx and can hold a
# request half-sent while they signal the server.
use strict;
use warnings;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);

use constant {
	BEGIN_REQUEST => 1, END_REQUEST => 3, PARAMS => 4, FCGI_STDIN => 5,
	FCGI_STDOUT => 6, FCGI_STDERR => 7, RESPONDER => 1,
};

sub record {
	my ($type, $content) = @_;
	my $len = length $content;
	my $pad = (8 - $len % 8) % 8;
	return pack('CCnnCC', 1, $type, 1, $len, $pad, 0) . $content . ("\0" x $pad);
}

sub nv_len {
	my ($n) = @_;
	return $n < 128 ? pack('C', $n) : pack('N', $n | 0x80000000);
}

sub params {
	my (%p) = @_;
	my $s = '';
	for my $k (sort keys %p) {
		$s .= nv_len(length $k) . nv_len(length $p{$k}) . $k . $p{$k};
	}
	return $s;
}

# connect(SOCKET) -> handle or undef
sub connect {
	my ($path) = @_;
	return IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path);
}

# A stream's content as records of at most 65,535 bytes each.
sub records {
	my ($type, $content) = @_;
	my $out = '';
	for (my $off = 0; $off < length $content; $off += 65535) {
		$out .= record($type, substr($content, $off, 65535));
	}
	return $out;
}

# Send the request head and the first part of the body.  CONTENT_LENGTH
# is the body's (plus "more" to come) unless "length" says otherwise;
# CONTENT_TYPE is application/json for a body unless env gives one
# (undef: none at all).
sub begin {
	my ($sock, %o) = @_;
	my $body = $o{body} // '';
	my %env = (
		REQUEST_METHOD => $o{method} // 'GET',
		REQUEST_URI    => $o{uri} // '/healthz',
		SERVER_PROTOCOL => 'HTTP/1.1',
		CONTENT_LENGTH => $o{length} // length($body) + ($o{more} // 0),
		%{ $o{env} // {} },
	);
	$env{CONTENT_TYPE} = 'application/json'
	    if length $body && !exists $env{CONTENT_TYPE};
	$env{HTTP_AUTHORIZATION} = "Bearer $o{token}" if $o{token};
	delete $env{$_} for grep { !defined $env{$_} } keys %env;
	my $out = record(BEGIN_REQUEST, pack('nCx5', RESPONDER, 0))
	    . records(PARAMS, params(%env)) . record(PARAMS, '');
	$out .= records(FCGI_STDIN, $body);
	print $sock $out;
	$sock->flush;
}

# Send the rest of the body and the end of STDIN.
sub finish {
	my ($sock, $rest) = @_;
	my $out = defined $rest ? records(FCGI_STDIN, $rest) : '';
	print $sock $out . record(FCGI_STDIN, '');
	$sock->flush;
}

# Read until END_REQUEST: { status, headers, body } or undef on EOF.
sub response {
	my ($sock) = @_;
	my $stdout = '';
	for (;;) {
		my $head = '';
		while (length $head < 8) {
			my $n = sysread($sock, $head, 8 - length $head, length $head);
			return undef unless $n;
		}
		my (undef, $type, undef, $len, $pad) = unpack('CCnnC', $head);
		my $content = '';
		while (length $content < $len + $pad) {
			my $n = sysread($sock, $content, $len + $pad - length $content,
			    length $content);
			return undef unless $n;
		}
		$content = substr($content, 0, $len);
		$stdout .= $content if $type == FCGI_STDOUT;
		last if $type == END_REQUEST;
	}
	my ($h, $b) = split /\r\n\r\n/, $stdout, 2;
	my %headers;
	for (split /\r\n/, $h // '') {
		$headers{lc $1} = $2 if /^([\w-]+):\s*(.*)$/;
	}
	my ($status) = ($headers{status} // '200') =~ /^(\d+)/;
	return { status => $status, headers => \%headers, body => $b // '' };
}

# One whole request: request(SOCKET, %o) -> response or undef
sub request {
	my ($path, %o) = @_;
	my $sock = FCGIClient::connect($path) or return undef;
	begin($sock, %o);
	finish($sock);
	my $r = response($sock);
	close $sock;
	return $r;
}

1;
