"""Loopback SMTP server for Picomon's tests, built on Debian's aiosmtpd.

Writes every accepted message, raw, to DIR/NNNNNN.eml (numbered in arrival order, continuing
after the files already there, so a restarted server keeps the sequence) and reports events on
stdout, one line each, for the C# fixture (tests/Picomon.TestSupport/SmtpServer.cs):

  LISTENING <port>                    once the socket accepts connections
  CONNECT <peer-port>                 a client connected
  DISCONNECT <peer-port>              that connection closed
  MESSAGE <file> <peer-port> <tls 0|1> <auth user or ->
  REJECT <peer-port> <reason>         a recipient or message was refused with a 5xx
"""
import argparse
import asyncio
import email.parser
import os
import ssl

from aiosmtpd.smtp import SMTP, AuthResult


def emit(*fields):
    print(*fields, flush=True)


def peer_port(session):
    return session.peer[1] if session.peer else 0


class RecordingHandler:
    def __init__(self, args):
        self.args = args
        self.count = len([f for f in os.listdir(args.dir) if f.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.args.reject_rcpt and address.lower() == self.args.reject_rcpt.lower():
            emit("REJECT", peer_port(session), "rcpt", address)
            return "550 5.1.1 <%s>: recipient rejected by test server" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        subject = email.parser.BytesParser().parsebytes(raw, headersonly=True).get("Subject", "")
        if self.args.reject_subject and self.args.reject_subject in str(subject):
            emit("REJECT", peer_port(session), "subject", self.args.reject_subject)
            return "554 5.6.0 message rejected by test server"
        self.count += 1
        name = "%06d.eml" % self.count
        path = os.path.join(self.args.dir, name)
        with open(path + ".tmp", "wb") as f:
            f.write(raw)
        os.replace(path + ".tmp", path)
        tls = server.transport.get_extra_info("ssl_object") is not None
        user = session.auth_data.login.decode() if session.authenticated and session.auth_data else "-"
        emit("MESSAGE", name, peer_port(session), int(tls), user)
        return "250 Message accepted for delivery"


class RecordingSMTP(SMTP):
    def connection_made(self, transport):
        starttls_upgrade = self._original_transport is not None
        super().connection_made(transport)
        if not starttls_upgrade:
            self._picomon_port = peer_port(self.session)
            emit("CONNECT", self._picomon_port)

    def connection_lost(self, error):
        emit("DISCONNECT", getattr(self, "_picomon_port", 0))
        super().connection_lost(error)


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False on failure: aiosmtpd then replies "535 ... credentials invalid" itself.
        return AuthResult(success=ok, handled=ok, auth_data=auth_data if ok else None)
    return authenticate


def tls_context(args):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    return context


async def serve(args):
    loop = asyncio.get_running_loop()
    kwargs = {"hostname": "smtp.test.invalid"}
    if args.starttls:
        kwargs["tls_context"] = tls_context(args)
    if args.auth_user:
        kwargs.update(auth_required=True, auth_require_tls=False,
                      authenticator=make_authenticator(args.auth_user, args.auth_password))
    handler = RecordingHandler(args)
    server = await loop.create_server(
        lambda: RecordingSMTP(handler, loop=loop, **kwargs), "127.0.0.1", args.port,
        ssl=tls_context(args) if args.implicit_tls else None, reuse_address=True)
    emit("LISTENING", server.sockets[0].getsockname()[1])
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reject-rcpt")
    parser.add_argument("--reject-subject")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
