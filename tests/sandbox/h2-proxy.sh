#!/bin/sh
# h2-proxy.sh DIR BACKEND_PORT: put a real HTTP/2 server in front of the
# sandbox, as graph.threads.net is one. nghttpx terminates TLS on
# 127.0.0.1 (h2 by ALPN, http/1.1 for clients without it) and passes each
# request to the plain-http sandbox on BACKEND_PORT.
#
# DIR holds what it makes, once, and keeps for a restart:
#   ca.pem          the CA th is told to trust (TH_TEST_CA)
#   cert.pem key.pem  the server's, for IP 127.0.0.1 and localhost
#   port            the port it listens on; a restart takes the same one
#   access.log      one line a request: client port, ALPN, method, path,
#                   status; a client port is a connection
#   error.log
# It replaces itself with nghttpx (exec), so $! is nghttpx's pid and a
# SIGTERM stops it at once, connections dropped. The caller waits until
# the port answers.
set -eu
dir=$1 backend=$2
umask 077

if [ ! -s "$dir/cert.pem" ]; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 -subj /CN=th-test-ca \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$dir/key.pem" -out "$dir/cert.csr" -subj /CN=127.0.0.1 2>/dev/null
	printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
		'basicConstraints=critical,CA:FALSE' 'extendedKeyUsage=serverAuth' \
		'keyUsage=critical,digitalSignature' >"$dir/cert.ext"
	openssl x509 -req -in "$dir/cert.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
		-CAcreateserial -days 2 -extfile "$dir/cert.ext" \
		-out "$dir/cert.pem" 2>/dev/null
fi
if [ ! -s "$dir/port" ]; then
	# nghttpx takes no port 0: ask the kernel for a free one
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
		>"$dir/port.tmp"
	mv "$dir/port.tmp" "$dir/port"
fi
port=$(cat "$dir/port")
nghttpx=$(command -v nghttpx || echo /usr/sbin/nghttpx)
# --conf: never the machine's /etc/nghttpx/nghttpx.conf
exec "$nghttpx" --conf=/dev/null --single-process --workers=1 --no-ocsp \
	--frontend="127.0.0.1,$port" --backend="127.0.0.1,$backend;;proto=http/1.1" \
	--backend-connections-per-frontend=0 \
	--accesslog-file="$dir/access.log" \
	--accesslog-format='$remote_port $alpn $method $path_without_query $status' \
	--errorlog-file="$dir/error.log" --no-via \
	"$dir/key.pem" "$dir/cert.pem"
