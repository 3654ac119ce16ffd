"""A TLS server for the benchmark that, unlike `openssl s_server`, handles
connections concurrently, as a real issuer's front ends do: a thread per
connection, whose handshake runs in OpenSSL's C code outside the GIL.

Usage: tls_server.py CERT KEY CHAIN ADDRESS:PORT [ADDRESS:PORT ...]
Serves CERT then CHAIN (PEM) with KEY on each address until killed.
"""
import socket
import ssl
import sys
import tempfile
import threading


def serve(listener, context):
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=handle, args=(connection, context), daemon=True).start()


def handle(connection, context):
    try:
        with context.wrap_socket(connection, server_side=True) as tls:
            while tls.recv(4096):
                pass
    except (OSError, ssl.SSLError):
        pass


def main():
    cert, key, chain = sys.argv[1:4]
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as bundle:
        bundle.write(open(cert).read() + open(chain).read())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(bundle.name, key)
    threads = []
    for place in sys.argv[4:]:
        host, port = place.rsplit(":", 1)
        listener = socket.create_server((host, int(port)), backlog=128)
        threads.append(threading.Thread(target=serve, args=(listener, context), daemon=True))
    for thread in threads:
        thread.start()
    print("listening", flush=True)
    threading.Event().wait()


main()
