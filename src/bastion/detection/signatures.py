"""Analysers for the attack classes that have a small, exact grammar of their own.

Each function answers for one decoded value and returns the span to report, or ``None``:
path traversal, NoSQL operators, LDAP filter injection, XXE, server-side templates, JNDI/Log4j
lookups, CRLF/header injection and prototype-pollution keys. The patterns name syntax that only
the attacked interpreter gives meaning to (``)(|``, ``<!ENTITY``, ``{{7*7}}``, ``${jndi:``), so
ordinary text does not contain them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bastion.detection.dtd_subsets import inert_subset, xinclude_declared_only
from bastion.detection.mail_commands import mail_command
from bastion.detection.public_dtds import published_doctype
from bastion.detection.relative_links import relative_link_mask
from bastion.detection.rules import Context
from bastion.detection.ssrf import internal_address, oob_host

Span = tuple[int, int] | None

_TRAVERSAL = re.compile(
    r"(?:^|[/\\=:;,\"'])(?:\.{2,}[/\\]+){1,}|[/\\]\.\.(?:$|[;?#])|\.\.;[/\\]"
    r"|(?:^|[/\\])\.\.\.\.[/\\]|(?:0[xX]2[eE]){2}|\.\.0[xX](?:2[fF]|5[cC])"
)
"""Also dot-dot spelled in C hex notation (``0x2e0x2e/``, ``..0x2f``): a traversal probe for decoders that read
``0x..`` as a byte; nothing else writes two hex-notated dots in a row."""
_ALIAS_TRAVERSAL = re.compile(r"/[\w-]{1,64}\.\.[/\\]")
"""A path segment that ends in ``..`` (``/files../``, ``/static..\\``): behind nginx's ``location /files { alias
/srv/files/; }`` with no slash after the location, ``/files../`` becomes ``/srv/files/../``, the folder above (the
off-by-slash alias traversal). A name ends in one dot or three, not two, and a URL's path is masked first."""
_SENSITIVE_FILE = re.compile(
    r"/etc/(?:passwd|shadow|gshadow|group|hosts|issue|sudoers|crontab|sub[ug]id|master\.passwd|security/passwd)\b"
    r"|[/\\]proc[/\\](?:self|\d+|\$\{?\w+\}?|\[0-9\][*+]?|\*)[/\\](?:environ|cmdline|fd|maps|mem)"
    r"|[/\\]repair[/\\](?:sam|system|security|software)\b|%(?:systemroot|windir)%[/\\]+(?:repair|system32|win\.ini)"
    r"|[a-z]:[/\\]+(?:windows|winnt|inetpub|system32|boot\.ini)|[/\\](?:win\.ini|system32[/\\]|boot\.ini|web\.config\b"
    r"|(?:(?:auto)?unattend(?:ed)?\.(?:xml|txt)|sysprep\.(?:xml|inf)|tomcat-users\.xml|wp-config\.php|sess_[\w-]{8,})\b)"
    r"|(?:^|[\s=:;,\"'])\.ssh[/\\](?:id_[\w-]+|identity|authorized_keys)\b(?!\.pub\b)"
    r"|\bWEB-INF[/\\]|[/\\]\.(?:ssh[/\\](?![\w.-]*\.pub\b)|git[/\\]config|aws[/\\]credentials|htpasswd|htaccess"
    r"|[\w-]+_history\b|zhistory\b|histfile\b|netrc\b|pgpass\b|git-credentials\b|kube[/\\]config\b|docker[/\\]config\.json\b"
    r"|env(?![\w-]|\.(?:example|sample|template|dist)\b))"
    r"|\b(?:php|zip|rar|phar|expect|data|compress\.(?:zlib|bzip2))://(?:filter|input|stdin|fd)?|\bdata:(?:application|text)/x-(?:httpd-)?php"
    r"|(?:(?<![\w.~-])|\.\.)etc[/\\]+(?:passwd|shadow|group|sudoers)\b"
    r"|(?:(?<![\w.~-])|\.\.)win(?:dows|nt)[/\\]+(?:system|win)\.ini\b"
    r"|[/\\]pearcmd(?:\.php)?&(?=\+|/)",
    re.I,
)
"""Files worth stealing, also relative (``etc/passwd``, ``Windows\\system.ini``, ``.ssh/id_rsa``: a path joined to a
base directory that is the root, a home directory, or one that ``..`` already left). The account databases include
``/etc/subuid`` and ``/etc/subgid`` (user-namespace ranges per account). Public keys (``~/.ssh/id_ed25519.pub``) and the
committed templates of an environment file (``.env.example``) are shared on purpose, so they are not on the list.
PEAR's command-line script included with its arguments in the query (``/usr/local/lib/php/pearcmd.php&+install+…``,
``…pearcmd&/<?=…?>+x.php``: ``register_argc_argv`` splits the query string on ``+``) turns an inclusion into a file
write (fresh35); the bare path in prose names a file and passes.
Dots glued to such a path (``/................etc/passwd``, sixteen ``%2e`` decoded) are a ``../`` run whose slashes
a filter removed or a server never needed; a file name ends in one dot, not two. Also, wherever they sit: shell and
database-client history files (``~/.bash_history``, ``/home/x/.psql_history``: commands typed with passwords in them),
credential dotfiles (``.netrc``, ``.pgpass``, ``.git-credentials``, ``.kube/config``, ``.docker/config.json``),
Windows setup answer files (``unattend.xml``, ``sysprep.inf``), which keep the administrator password, the files
where Tomcat and WordPress keep their passwords (``tomcat-users.xml``, ``wp-config.php``, also as a whole value) and
PHP session files (``/var/lib/php/sessions/sess_…``: an inclusion target once a request has written code into one)."""
CREDENTIAL_FILE_NAMES = frozenset({"wp-config.php", "tomcat-users.xml"})
"""Files that hold a server's passwords, asked for by name alone (``?page=wp-config.php``): the inclusion resolves
them against the application's own directory."""
_SYSTEM_DIRECTORY = re.compile(r"\s*/(?:private/)?(?:etc|proc|var/log)/?\s*")
"""A whole value that is the system's configuration, process or log directory itself (``/etc/``): a directory
listing asked of a file browser (CVE-2017-1000170's ``dir=/etc/``). On macOS ``/etc`` and ``/var`` are links into
``/private``, so ``/private/etc`` is the same directory (fresh60: a RASP scanner's directory probes for each OS); the
prefilter triggers the bare form without a trailing slash too (``SYSTEM_DIRECTORY_TRIGGER``). Other roots
(``/root``, ``/sys``, ``/boot``) name folders in ordinary trees too and stay with ``_SYSTEM_FILE``'s files."""
SYSTEM_DIRECTORY_TRIGGER = rb"(?:^|\x00)\s*/(?:private/)?(?:etc|proc|var/log)(?:/?\s*(?:\x00|$)|/)"
"""The prefilter's ``traversal`` trigger for ``_SYSTEM_DIRECTORY`` and the ``/private`` paths of ``_SYSTEM_FILE``: its
other triggers need a slash after the name, and read ``/var/log/`` only at the start of the value."""
_DOT_SEGMENT = re.compile(r"[/\\](?:\.[/\\])+")
"""Runs of ``./`` segments (either slash), which a path resolver drops."""
_SPLIT_DOT_DOT = re.compile(r"(?:^|[/\\])\.[\t\r\n]++\.(?:[/\\]|$)")
"""A dot-dot segment whose two dots a tab or line break splits (``/.%09./``, ``/abc/.%0a./def``): a URL parser
(WHATWG's, every browser's, Node's ``new URL``) deletes tabs and line breaks anywhere in the URL before it resolves
the path, so the segment is ``..`` (fresh65: Aikido's URL-path traversal tests). Text does not split two dots between
slashes with a control character."""
_SYSTEM_FILE = re.compile(
    r"\s*/(?:(?:private/)?etc|proc|sys|boot|root(?![/\w+@-]*\s*$)|(?:private/)?var/log|var/lib/[mp]?locate"
    r"|(?:var/)?run/secrets|var/spool/cron|var/(?:spool/)?mail)/[\w.+@-]+(?:/[\w.+@-]+)*/?\s*")
"""A whole value that is an absolute path into the system's configuration, kernel, boot, root or log directories
(``/etc/fstab``, ``/etc/apache2/httpd.conf``, ``/var/log/auth.log``), the cron tables and mail spools, the locate
database (an index of every file name on the host) or the secrets a container runtime mounts
(``/run/secrets/db_password``, a Kubernetes service account's ``/var/run/secrets/kubernetes.io/serviceaccount/token``):
what a file-inclusion probe asks for. Under ``/root`` (the superuser's home directory) only a name with a dot counts:
its dotfiles (``.ssh/``, ``.bash_history``, ``.aws/credentials``: also ``_SENSITIVE_FILE``'s wherever they sit) and the
files an installer leaves there (``anaconda-ks.cfg`` with the root password hash, ``install.log``, ``root.txt``);
``/root/my-repo`` is a project path of GitLab's first administrator, whose user name is ``root``, as
``/home/alice/notes`` is an ordinary file. Other directories are left alone: ``/home/alice/notes.txt`` or
``/var/lib/app/uploads/x.pdf`` are ordinary file fields.
Body fields named for a configuration path (``CONFIG_PATH_FIELD``: a pod spec's ``mountPath``, a ``ca_file``) skip it;
other routes whose fields hold such paths exclude ``traversal`` for those fields (docs/waf.md)."""
CONFIG_PATH_FIELD = re.compile(
    r"(?:mount|host|sub|volume|device|ca|cert|key|(?:client|tls)_?(?:cert|key|ca)|bearer_?token|token|credentials"
    r"|password|secret|socket|pid|data|config|working|work|cache|state|home)[_-]?(?:path|file|dir)")
"""Body field names that hold a path in an infrastructure document, and say which: a pod's ``mountPath``,
``subPath``, ``hostPath``, a scrape config's ``ca_file``, ``bearer_token_file``, ``credentials_file``, a ``workingDir``,
a daemon's ``data_dir``. There a whole absolute path into ``/etc``, ``/var/run/secrets``, ``/proc`` … (``_SYSTEM_FILE``)
is where the program reads its configuration or mounts a volume, not a file-inclusion probe: the Kubernetes, Compose,
Nomad and Prometheus APIs carry such values in every other document. Only that whole-value rule is waived there:
dot-dot segments, ``file://``, the files worth stealing (``/etc/passwd``, ``/proc/self/environ``, SSH keys:
``_SENSITIVE_FILE``) and server logs still count in those fields, and the generic names an inclusion reads (``file``,
``path``, ``filename``, ``page``, ``template``, ``file_path``, ``download_path``, ``log_file``) are not on the list.
Compared in full, lower-cased; keys, the query and headers keep the rule."""


@lru_cache(maxsize=1024)
def _config_path_field(name: str) -> bool:
    return CONFIG_PATH_FIELD.fullmatch(name) is not None


_WEB_SERVER_LOG = re.compile(
    r"\s*(?:[a-z]:)?(?:[/\\][\w.+@-]+)*[/\\](?:ssl_)?(?:access|error)[_.-]?log(?:\.\d+)?\s*", re.I)
"""A whole value that is an absolute path to a web server's access or error log (``/usr/local/apache2/logs/error_log``,
``C:\\xampp\\apache\\logs\\access.log``), wherever it is installed: the file a log-poisoning inclusion runs, once a
request has written code into it."""
_NUL_AFTER_NAME = re.compile(r"[\w-]\.[a-z][a-z0-9]{0,7}(?:%(?:25)*00|\x00|\\x00|\\u0000)", re.I)
"""A file name cut by a NUL byte (``shell.txt%00``, ``avatar.php%00.png``): C-based file APIs stop at the NUL, so
the extension a server appends or checks after it is dropped. No file name, URL or text carries a NUL."""
_NUL_AFTER_PATH = re.compile(
    r"(?<![\w.+@~/\\:%-])(?:[a-z]:)?(?:[/\\]|%(?:25)*(?:2f|5c))?(?:[\w.+@~-]*+(?:[/\\]|%(?:25)*(?:2f|5c)))+"
    r"[\w.+@~-]*+(?:\x00|%(?:25)*00|\\x00|\\u0000)", re.I)
"""A path (one separator at least: ``/var/lib/mysql/my.cnf``, ``/usr/ports/net/pure-ftpd/``, ``C:\\xampp\\php.ini``)
cut by a NUL byte, raw (a JSON ``\\u0000``, a query's ``%00`` once parsed) or still written as ``%00``, ``%2500``,
``\\x00`` or ``\\u0000``, its separators maybe written ``%2F``/``%5C`` too (a header or cookie the application
decodes itself; the decoder drops a NUL it meets, so no decoded form keeps one): whatever the file, the NUL drops the
suffix or extension the application appends or checks, which is what the byte is there for. Text, names and URLs
carry no NUL (the engine sends every form with a raw one here; the prefilter finds the written ones). Anchored at
the start of the path (the look-behind) and possessive within a name: each run of path characters is read from one
start, and giving back a separator costs one step per separator."""
_BACKSLASH_ZERO_AFTER_PATH = re.compile(r"(?<![\w.+@~/\\:%-])/(?:[\w.+@~-]++/)*+[\w.+@~-]++\\0(?![1-7])")
"""A Unix path (forward slashes only) whose name is cut by a NUL written as C, Java or JavaScript write it, ``\\0``
(``/etc/passw\\0x00/nullbyte/path/to/ZAP.png``, fresh63: VulnerableApp's image-path test): what ``_NUL_AFTER_PATH``
reads for ``\\x00`` and ``%00``. Only after a name of a ``/`` path: a Windows path has backslashes of its own
(``D:\\photos\\09\\``), and ``\\0`` in prose or a format string (``printf("%s\\0")``) follows no path; an octal
escape of another byte (``\\012``) is no NUL."""
_UNC = re.compile(r"\s*\\\\[^\\/\s]+\\[^\\/\s]+")
"""A whole value that is a UNC path (``\\\\host\\share\\x``): Windows opens it over SMB, leaking credentials."""
NOSQL_OPERATORS = frozenset({
    "$ne", "$eq", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$regex", "$where", "$exists", "$expr",
    "$or", "$and", "$not", "$nor", "$elemmatch", "$function", "$accumulator", "$lookup", "$type",
    "$mod", "$all", "$size", "$text", "$jsonschema", "$options", "$set", "$unset", "$inc", "$push",
    "$comment", "$search", "$natural", "$slice", "$elemMatch", "$bitsallset", "$bitsanyset", "$geowithin", "$near",
    "$rename", "$addtoset", "$pull", "$pullall", "$pop", "$max", "$min", "$currentdate", "$eval", "$query",
    "$orderby", "$explain", "$hint", "$maxtimems", "$returnkey", "$showdiskloc", "$match", "$group", "$project",
    "$unwind", "$out", "$merge", "$graphlookup", "$facet", "$sample", "$addfields", "$replaceroot",
    "$func", "$fn",  # MongoLite (Cockpit CMS): calls the named PHP function on each document's field
})
ODATA_OPTIONS = frozenset({"$orderby", "$search"})
"""OData system query options (``$filter``, ``$select``, ``$top`` … in Microsoft Graph, SAP, Dynamics) that share a
name with a MongoDB operator: as a whole query parameter name they are OData's, not a query object's (which
a form decoder builds from ``p[$op]``, still checked)."""
ANNOTATION_KEYS = frozenset({"$comment"})
"""MongoDB's ``$comment`` only annotates a query, and it is a JSON Schema keyword: as a member name it changes
nothing. In text it still counts, where it follows a breakout (``' } ], $comment:'injected'``)."""
_GRAPHQL_VARIABLES = re.compile(r"\b(?:query|mutation|subscription)\b[\w\s]*\(([^(){}]*)\)")
"""A GraphQL operation's variable definitions, ``query Search($text: String!, $type: SearchType)``: ``, $type:``
there declares a variable, it is no MongoDB operator."""
_NOSQL_IN_TEXT = re.compile(r"""(?:^\s*|\[|["'{,]\s*)(\$[a-zA-Z]{2,12})\s*(?:\]|["']?\s*:)""")
_NOSQL_JS = re.compile(
    r"""['"]\s*(?:;|\|\||&&)\s*(?:return\b\s*(?:[('"\d!]|(?:true|false|this)\b|\w+\s*[=!<>]=)|this\.|sleep\s*\(|while\s*\(|do\s*\{|for\s*\(|(?:var|let|const)\s+\w+\s*="""
    r"""|\w+\s*=\s*new\s+\w+\s*\(|function\s*\()|\bthis\.\w+\.match\s*\("""

)
"""JavaScript a ``$where`` clause or a server-side ``eval`` runs: after a quote breakout, a statement
(``';it=new Date();do{…}``, ``";return(true);``; "'ok'; return it" is prose)."""
_LEADING_RETURN = re.compile(
    r"\s*+(?:-?\d{1,20}(?:\.\d{1,20})?\s*+)?;\s*+return\s*+\(?\s*+(?:true|false|!{0,2}[01]|!{1,2}(?:true|false))\s*+\)?"
    r"\s*+(?:;|$)")
"""A value that *opens* with ``;`` and a constant ``return`` statement (``;return false;``, ``;return(1)``): it ends
the statement a ``$where`` clause was building around the value and makes the clause always (or never) true, with
or without a quote after it; also after a number that first fills the clause's numeric slot (``0;return true``,
``1; return(1);``: ``this.age == `` + value, fresh66). Code in a comment or a snippet starts with a word, a brace or
a keyword, not with a semicolon or a bare number (``if (ok) return true;``, ``function f() { return false; }``)."""
_JS_SLEEP = re.compile(r"(?:;|\bfunction\s*[\w$]*\s*\([^(){}]{0,80}\)\s*\{)\s*sleep\s*\(\s*\d+\s*\)")
"""``sleep(5)`` as a JavaScript statement (after ``;``, or first in a ``function`` body): the time-based probe of a
``$where`` clause or a ``mapReduce`` function (``"); sleep(5); print("``, ``function(x) { sleep(5); …``). Shell and
SQL write it otherwise. A block of other code (``while (busy) { sleep(1) }``, Go's ``func main() { sleep(5) }``) is
a snippet in a review or an issue: ``$where`` and ``mapReduce`` take a function, not a loop or a Go function."""
_RETURN_THEN_VAR = re.compile(r"[;}]\s*+return\b[^;\n]{0,160};\s*+(?:var|let|const)\s++[\w$]+\s*+=(?!=)")
"""A ``return`` statement straight after another statement or block and followed by a declaration
(``1; return this.a > 2; var x=1``, ``'; return db.a.find(); var z='``): how a ``$where`` breakout ends the
clause early and then re-opens the string or number the query wrapped the value in. Code never declares after an
unconditional ``return``: that declaration is dead; a guarded one (``if (x) return y; var z = 1``) has no ``;`` or
``}`` right before its ``return``."""
_MONGO_WRITE = re.compile(
    r"\bdb\.(?:[\w$]+\.(?:insert(?:One|Many)?|update(?:One|Many)?|replaceOne|remove|drop|delete(?:One|Many)|mapReduce"
    r"|findAndModify|findOneAnd\w+|bulkWrite|renameCollection)|eval|dropDatabase|runCommand|adminCommand|shutdownServer"
    r"|createUser|grantRolesToUser)\s*\(\s*[{\[)'\"]?[^\n]{0,200}\)\s*;",
)
"""A Mongo shell statement that writes or administers (``db.x.insert({…});``, ``db.dropDatabase();``), ended
with ``;`` as a statement a server-side ``eval`` runs. Reads (``db.users.findOne(…)`` in a snippet) do not count."""
_LDAP = re.compile(
    r"\*\s*\)\s*\((?!\s*\))|\)\s*\(\s*[|&!]|\(\s*[|&!]\s*\(\s*[\w.;-]+\s*[~<>]?=|\)\s*\(\s*[\w.;-]+\s*[~<>]?="
    r"|^\s*+\*?\s*+\)\s*\(|\(\s*objectclass\s*=\s*\*|\x00\)|(?:\)|%29)(?:\x00|%00)|\*\s*\)\s*\)|\*\s*\(\s*\)\s*[|&!]"
    r"|\b[a-z][\w-]*(?::dn)?:\d+(?:\.\d+){2,}:=",
    re.I,
)
"""LDAP filter fragments. A wildcard assertion closed and another opened (``*)(uid=*``) needs something in the new
group: ``*) ()`` is a C or C++ signature (``f(char*, __va_list_tag*) () via g``, a crash report's frame), and no filter
has an empty component (fresh80)."""
_XXE = re.compile(
    r"<!ENTITY|<!DOCTYPE\s+[^\s>\[]+\s*(?:\[|SYSTEM|PUBLIC)|<\w+:include\b[^<>]*\bhref|xmlns:xi\s*=|<!\[INCLUDE\["
    r"|<\?xml[^>]{0,80}encoding\s*=\s*[\"']utf-7|!ENTITY\s+(?:%\s*)?[\w.:-]+\s+(?:SYSTEM|PUBLIC)\b",
    re.I,
)
"""Also an external entity declared without its ``<`` (``x!ENTITY % e SYSTEM``): what a filter that strips ``<``
leaves, or a fragment the page wraps in its own DTD; no text writes ``!ENTITY name SYSTEM``."""
_SCHEMA_LOCATION = re.compile(
    r"\bxsi\s*:\s*(no)?(?:NamespaceSchemaLocation|schemaLocation)\s*=\s*"
    r"(?:\"([^\"<>]{1,4000})\"|'([^'<>]{1,4000})')", re.I)
_SCHEME = re.compile(r"([a-z][\w+.-]*):", re.I)
_URL_HOST = re.compile(r"[a-z][\w+.-]*://(?:[^/?#@\s]*@)?(\[[^\]]*\]|[^/?#:\s]*)", re.I)
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"})
PERSISTENT_ID_SITES = frozenset({"purl.org", "w3id.org", "doi.org", "identifiers.org", "oclc.org"})
"""Redirect services that vocabularies take their namespace names from (Dublin Core's ``http://purl.org/dc/…``
publishes its schema on ``dublincore.org``): there a schema on another site is the normal case."""
SHARED_CODE_HOSTS = frozenset({"githubusercontent.com", "github.com", "github.io", "gitlab.com", "gitlab.io",
                               "bitbucket.org", "sourceforge.net", "jsdelivr.net", "unpkg.com", "googlesource.com"})
"""Sites that serve the files of many projects (a repository's raw file, its pages, a CDN over a package registry):
a project without a schema server links its ``.xsd`` from there (log4j2's ``log4j-config-2.xsd`` on
``raw.githubusercontent.com`` under ``http://logging.apache.org/log4j/2.0/config``). Internal hosts, other schemes
and out-of-band hosts are judged before this."""


def _site(url: str) -> str:
    """The registrable part of a URL's host, roughly (``maven.apache.org`` → ``apache.org``, ``x.co.uk`` →
    ``x.co.uk``); an address stays whole."""
    m = _URL_HOST.match(url)
    host = m.group(1).lower().rstrip(".") if m else ""
    labels = host.split(".")
    if len(labels) > 2 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:]) if not host.replace(".", "").isdigit() else host


def _foreign_schema(location: str, namespace: str | None) -> bool:
    """A schema a validating parser would fetch from somewhere it should not: another scheme than http(s)
    (``file:``, ``ftp:``, ``jar:``), an internal or out-of-band host, or, for a ``namespace location`` pair, another
    site than the namespace's own. A vocabulary publishes its schema where it names its namespace
    (``http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd``, sitemaps, Spring, W3C); a
    relative location or one after a ``urn:`` namespace is left alone."""
    scheme = _SCHEME.match(location)
    if scheme is None or len(scheme.group(1)) == 1:
        return False  # relative, or a Windows drive letter the parser reads as a local path
    if scheme.group(1).lower() not in ("http", "https"):
        return True
    host = _URL_HOST.match(location)
    if host is not None and (internal_address(host.group(1)) or oob_host(host.group(1))):
        return True
    if namespace is None or namespace[:4].lower() != "http":
        return False
    site, location_site = _site(namespace), _site(location)
    return site not in PERSISTENT_ID_SITES and site != location_site and location_site not in SHARED_CODE_HOSTS


def _schema_location(value: str) -> Span:
    """``xsi:schemaLocation`` (pairs of namespace and location) or ``xsi:noNamespaceSchemaLocation`` naming a
    schema to fetch from a foreign place (``_foreign_schema``): an out-of-band or internal request made by the
    server's XML parser. A lone location where pairs belong counts as a location without its namespace."""
    for m in _SCHEMA_LOCATION.finditer(value):
        tokens = (m.group(2) or m.group(3) or "").split()
        if m.group(1):
            pairs: list[tuple[str | None, str]] = [(None, t) for t in tokens]
        else:
            pairs = [(tokens[i], tokens[i + 1]) for i in range(0, len(tokens) - 1, 2)]
            if len(tokens) % 2:
                pairs.append((None, tokens[-1]))
        if any(_foreign_schema(location, namespace) for namespace, location in pairs):
            return m.start(), m.end()
    return None
_SSTI_OPEN = re.compile(r"\{\{|\{%(?![0-9a-fA-F]{2})|\$\{|#\{|\*\{|@\{|~\{|<%=?|\[\[")
_SSTI_CLOSE = re.compile(r"\}\}|%\}|\}|%>|\]\]")
_SSTI_DIRECTIVE = re.compile(
    r"[<\[]#(?:assign|import|include)\b|[<\[]#(?:list|if|elseif)\s[^<>\[\]\n]{0,80}?(?:\d\s*[*/%]\s*\d|\d\s*\.\.\s*\d{6})|#set\s*\(|#foreach\s*\(|\$class\.|\{php\}|\{(?:system|exec)\s*\("
    r"|\{\$smarty\.|\{math\s+equation\s*=|\{if\s+(?:system|exec|passthru|shell_exec)\s*\(|@\(\s*\d+\s*[*+/-]\s*\d+\s*\)"
    r"|@System\.(?:Diagnostics|IO|Reflection|Net|Runtime|Environment|AppDomain)\b"
    r"|<!--\s*#\s*(?:exec|include|echo|printenv|config|fsize|flastmod|set|if)\s+\w+\s*="
    r"|(?<![\w.$])T\s*\(\s*(?:java|javax|jdk|sun|org|com)\.[\w.$]+\s*\)\s*\.\s*\w+\s*\(",
    re.I,
)
"""Directives that run by themselves, whatever surrounds them (FreeMarker's ``<#assign>``, ``<#include>``,
``<#import>``; its ``<#list>`` and ``<#if>`` only with a product of literals or a range of a million items, since
its documentation and templates in a CMS field write ``<#list items as item>``); also a SpEL type reference calling a
static method (``T(java.net.InetAddress).getByName("x")``, ``T(java.lang.Runtime).getRuntime()``): a header or field
evaluated as an expression (Spring Cloud Function's routing expression) needs no ``#{…}`` around it."""
_EL_REFLECTION = re.compile(
    r"(?<![\w'\"])(?:''|\"\")\s*\.\s*(?:class|getClass\s*\(\s*\))\s*\.\s*\w+"
    r"|\bforName\s*\(\s*['\"]\s*java\.lang\.(?:Runtime|ProcessBuilder|ClassLoader|reflect\.|invoke\.)"
    r"|(?-i:\w\.class)\s*\.\s*forName\s*\(\s*['\"]",
    re.I,
)
_OGNL = re.compile(
    r"#_?memberAccess\b|DEFAULT_MEMBER_ACCESS\b|@ognl\.|@(?-i:(?:[a-z_][a-z0-9_]*\.){2,}[A-Z]\w*)@[a-z_]\w*", re.I)
_OGNL_EXPRESSION = re.compile(
    r"%\{\s*(?:#\w+\s*[\[.=]|\(\s*#\w+\s*=)|#(?:context|request|session|application|attr|parameters)\s*\[\s*['\"#]"
    r"|\(\s*#\w+\s*=[^()]{0,200}\)\s*\.\s*\(\s*#\w+\s*=",
    re.I,
)
"""OGNL (Struts) syntax without the runtime access ``_OGNL`` looks for: a ``%{…}`` expression opening on a context
variable (``%{#context['…HttpServletResponse'].addHeader(…)}``, ``%{#request.x}``, ``%{(#_=…)…}``), a lookup in
one of the action context's maps by a string or a variable (``#context['…']``, ``#session[#k]``), or a chain of
variable assignments (``(#a=…).(#b=…)``), which is how an exploit builds its names and writers one step at a time.
Struts evaluates what it is handed in a header or a field name that reaches ``%{…}`` (S2-045's ``Content-Type``);
no prose, CSS selector (``#context[data-x]``) or other language writes these."""
_TEMPLATE_PROBE = re.compile(
    r"\{%-?\s*debug\s*-?%\}|(?:\{\{|[$#]\{)\s*(['\"])\d+\1\s*\}"
    r"|\$\{\s*\.(?:data_model|globals|main|namespace|vars|locals|version|now|(?:current_|main_|caller_)?template_name"
    r"|get_optional_template|output_encoding|locale_object|lang)\b",
    re.I,
)
"""Run by themselves too, each behind a cheap substring test (one alternation with the directives above would make
every template three times as slow to scan). EL and OGNL reflection: an empty string literal's class
(``''.class.forName(…)``, ``"".getClass().getClassLoader()``) or ``forName("java.lang.Runtime")`` reach the runtime
with no delimiters (Java code writes ``String.class``, and loads a JDBC driver by name, not the process classes).
A class literal calling the static ``forName`` with a quoted name (``java.lang.Math.class.forName("java.lang.System")``,
Elasticsearch's Groovy sandbox escape, fresh47) reaches any class the same way: Java code writes ``Class.forName``.
OGNL (Struts) reaches the runtime by static member access, ``@java.lang.Runtime@getRuntime()``, and unlocks it
through ``#_memberAccess`` or ``@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS``; a fediverse handle
(``@John.Doe@example.social``) has no package. Django's and Jinja's ``{% debug %}`` prints the whole template context
and settings. An expression that is only a quoted number (``{{"4711"}}``, ``${'93'}``) renders the digits without
their quotes: a scanner's probe for evaluation, not a template anyone writes. FreeMarker's special variables
(``${.data_model}``, ``${.globals}``, ``${.version}``) list what a template can reach; ``${.name}`` is no
JavaScript."""
_SSTI_BODY = re.compile(
    r"__|\d['\"]?\s*[*+/%-]\s*['\"]?\d|\d\s*\|\s*[a-z_]\w*\s*:\s*['\"]?\d|\bprint(?:f|ln)?\s+(?:\"[^\"]*\"|\d+)\s+(?:\"[^\"]*\"|\d+)|`|%x\(|\b(?:config|self|request|cycler|joiner|lipsum|namespace|settings|session|"
    r"application|environ|getClass|forName|Runtime|ProcessBuilder|exec|popen|system|subprocess|spawn|execSync|IO\.popen|import|"
    r"newInstance|getDeclared(?:Constructor|Method|Field)s?|"
    r"os\.|eval|T\s*\(|new\(\)|class(?=\s*[.\[(]|['\"]\s*\])|mro|subclasses|globals|builtins|constructor|product\.getClass)\b"
    r"|\.\s*(?:__|getClass|class)|\?\s*new\b|\|\s*attr\s*\(|\[\s*['\"]_"
    r"|['\"][^'\"]{0,20}['\"]\s*\.\s*[a-z]\w*\s*\(|\bdump\s*\(\s*\w",
    re.I,
)
"""What a delimited expression must hold to be evaluated. A filter with an argument (``{{ 7|add:3 }}``) names the
filter, an identifier: a wiki link to an IPv6 address (``[[User:2001:608::5E97|2001:608::5E97]]``) calls none
(fresh80)."""
_BRACE_ARITHMETIC = re.compile(r"\{[#@=]?\s*\d+\s*\*\s*\d+\s*\}|[<\[]#[=]?\s*\d+\s*\*\s*\d+\s*[>\]]"
                               r"|\{@\w+(?:\s+[\w-]+\s*=\s*\"[^\"]*\")+\s*/\}")
"""Single-brace engines (Smarty ``{7*7}``, Dust ``{@math key="7" method="multiply" operand="7"/}``, the
``{#…}``/``{@…}`` probes of other engines): a product of two literals inside braces, or a Dust helper with
attributes. Prose and JSON do not multiply numbers in braces (a sum or range, ``{1-2}``, can be text). The same
product in FreeMarker's directive brackets (``<# 7*7>``, ``[#7*7]``) is the probe for its parser, which reports
or evaluates the expression; a ``<#list …>`` in documentation holds words."""
_ESCAPED_DELIMITER = re.compile(r"\{\{-?\s*(['\"])(\{\{|\}\}|\{%|%\}|\$\{|\})\1\s*-?\}\}")
"""A Jinja/Twig expression that prints a delimiter as a string (``{{'{{'}}``, ``{{ "}}" }}``): the documented way to
write a literal ``{{``. What the template renders is another template; a probe nests one this way so that a second
engine (or a second render) evaluates it (``${{"{{"}}7*7{{"}}"}}`` renders ``${{7*7}}``): ``ssti`` judges the rendered
form too."""
_LOOKUP = re.compile(r"\$\{([^${}]*)\}")
_JNDI = re.compile(r"\$\{\s*jndi\s*:|jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http)s?\s*:"
                   r"|service\s*:\s*jmx\s*:\s*\w+\s*:[^\s]*?/jndi/", re.I)
"""Also a JMX service URL whose stub is fetched by JNDI name (``service:jmx:rmi:///jndi/ldap://host/x``): handed to a
JMX connector (Jolokia's proxy mode), it makes the server resolve the name, the same lookup as ``${jndi:…}``."""
_LOG4J_PREFIX = re.compile(
    r"\$\{\s*(?:env|sys|java|ctx|main|base64|date|k8s|docker|log4j|spring|bundle|jvmrunargs|lower|upper|"
    r"marker|map|sd|web|event)\s*:|\$\{\s*::-"
    r"|\$\{\s*(?:url|file)\s*:\s*[a-z][\w-]*\s*:|\$\{\s*script\s*:\s*(?:javascript|js|nashorn|groovy|jexl)\s*:"
    r"|\$\{\s*dns\s*:\s*(?:address|canonical-name|name)\s*\|",
    re.I,
)
"""Log4j lookups, and Apache Commons Text's (CVE-2022-42889, "Text4Shell"): ``${url:UTF-8:http://…}``,
``${script:javascript:…}``, ``${dns:address|…}``. A shell default (``${url:-x}``) has no second colon."""
_CRLF_HEADER = re.compile(
    r"(?<![\r\n\u2028\u2029\u0085])[\r\n\u2028\u2029\u0085]++[ \t]*+(?:set-cookie|location|content-(?:type|length|"
    r"security-policy)|host|refresh|transfer-encoding|access-control-[\w-]+|x-[\w-]+|cache-control|authorization|"
    r"link)[ \t]*+:|(?<![\r\n\u2028\u2029\u0085])[\r\n\u2028\u2029\u0085]++[ \t]*+http/\d(?:\.\d)?[ \t]+[1-5]\d\d\b"
    r"|(?<![\s>])[^\S\r\n]*+(?:\r\n?|\n)[^\S\r\n]*+(?:\r\n?|\n)\s*+<"
    r"(?:(?:script|html|head|body|!doctype|i?frame|frameset|object|embed|applet|meta|base)\b|[a-z][^<>]*?[\s/]on[a-z]+\s*+=)"
    r"|(?<![\r\n])[\r\n]++(?-i:(?:RCPT\s+TO|MAIL\s+FROM)\s*:|(?:QUIT|DATA|RSET)[ \t]*(?:[\r\n]|$)|(?:HELO|EHLO)\s+\S"
    r"|[A-Z]{0,3}\d{1,6}\s+(?:CAPABILITY|FETCH|LOGIN|LOGOUT|SELECT|EXAMINE|STORE|COPY|UID|AUTHENTICATE|STARTTLS)\b)",
    re.I,
)
"""Each alternative starts only at the beginning of a run of line breaks: linear, not quadratic. A status line is
a version and a status code (``\r\nHTTP/1.1 200``): a line that opens with a version and goes on in words is text
about HTTP (``RFC 7230:\nHTTP/1.1 Message Syntax and Routing``). Besides HTTP
fields, an SMTP or IMAP command in capitals on its own line (``\r\nRCPT TO:``, ``\r\nQUIT\r\n``,
``\r\nA1 FETCH``) is mail-protocol injection into a header or command an upstream forwards to a mail server.
A break (or blank line) then markup splits a response only when the markup starts a document or runs script: a
document or script element, a frame, an object, a meta refresh or base, or any tag with an event handler. A blank line
then a link, a paragraph or an image is what every rich-text or markdown field holds; a header line before the blank
line is caught by the field alternatives (and by ``_HEADER_THEN_BODY`` at the start of the value). That alternative
starts only where a run of whitespace starts, so each run is scanned once (starting after every space inside a run of
spaces and breaks made ``\\r \\n`` repeated quadratic)."""
_HTTP_FIELD = (
    r"(?:set-cookie2?|location|content-[\w-]+|host|refresh|transfer-encoding|access-control-[\w-]+|x-[\w-]+"
    r"|cache-control|authorization|proxy-authori[sz]ation|www-authenticate|link|strict-transport-security|connection"
    r"|keep-alive|upgrade|te|trailer|expect|cookie|forwarded|origin|referer|referrer-policy|cross-origin-[\w-]+"
    r"|permissions-policy|feature-policy|p3p|clear-site-data|sec-[\w-]+|user-agent|range|max-forwards)"
)
"""HTTP fields whose injection changes what a client or proxy does (RFC 9110 and the IANA registry's
security-relevant ones). Other ``Word:`` lines ("Subject:", "KeyError:") are text, not headers."""
_HEADER_THEN_BODY = re.compile(
    r"[ \t]*+" + _HTTP_FIELD + r"[ \t]*+:[^\r\n]*+(?:\r\n|\n|\r){2}\s*+<", re.I)
"""A value that starts with an HTTP header line, then a blank line and markup: a header block then a body."""
_REQUEST_LINE = re.compile(
    r"(?<![\r\n])[\r\n]++[ \t]*+(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|TRACE|CONNECT)[ \t]+\S{1,2000}[ \t]+"
    r"HTTP/\d(?:\.\d)?(?:\s*$|[ \t]*[\r\n]+[ \t]*(?i:" + _HTTP_FIELD + r")[ \t]*:)")
"""A whole HTTP request line after a line break (``…\nGET /admin HTTP/1.1``), ending the value or followed by a header
field: request splitting, since a server or proxy that writes the value into a request it forwards sends a second
request. Methods and version in capitals, as servers require them. Text that mentions a request goes on after the
version ("GET / HTTP/1.1 returns 400 since…"), and a request pasted into a markdown fence ends in a fence."""
_BREAK_THEN_FIELD = re.compile(
    r"(?<![\r\n\u2028\u2029\u0085\v\f])[\r\n\u2028\u2029\u0085\v\f]++[ \t]*+(?:" + _HTTP_FIELD + r"[ \t]*:|http/\d)",
    re.I,
)
_FIELD_LINE = r"[ \t]*+[a-z][\w-]*+[ \t]*+:(?![/\\:])"
"""A header line's start: a field name (any token, not only a standard field) and its colon. A colon that starts
``://``, ``:\\`` or ``::`` is a URL, a Windows path or a scope (``https://…``, ``C:\\x``, ``std::x``)."""
_TOKEN_THEN_ANY_FIELD = re.compile(
    r"[ \t]*+(?:(?:[\w/.%?][^\s]*+(?<!:)|\#)[ \t]*+)?[\r\n]++" + _FIELD_LINE + r"[ \t]*+[^\s]", re.I)
"""A value whose first line is one token (an id, a language, a path, a URL, or nothing) then a line break and any
``Name:`` line: the shape of a header injected after a parameter's value (``en\\r\\nX-Whatever: 1``), whatever
the field's name. Where a value is written into a URL, a header or a cookie, that line is a header the upstream or
the client reads. Text of several lines starts with words or a label of its own (``From: Jo <…>\\nSubject: …``,
``Traceback:\\n…``), or with a YAML or fence marker (``---``, ``#cloud-config``, a code fence) before keys that
may hold no value on their line: so only a first line that starts with a letter, a digit, ``/``, ``.`` or ``%``
counts, and only a field line with a value; other text keeps to the standard fields. The token may also be a query
(``?``, ``?page=2``) or a lone ``#`` (an empty fragment), and blanks may end the line (``en \r\nX-Name: 1``): the
break still ends the URL or header the value is written into, and the next line is a header all the same.
``#cloud-config`` and other ``#word`` first lines stay text."""
_LONE_CR_THEN_FIELD = re.compile(r"\r(?!\n)" + _FIELD_LINE + r"[ \t]*+[^\s]", re.I)
"""A carriage return alone (no line feed after it) right before a ``Name: value`` line, in any location and for any
field name (``#\rX-Test: 1``, ``?\rCRLF-Test: …``, fresh67): no editor, form or client ends a line with CR alone
(classic Mac OS text is gone from APIs), but servers and proxies that take a bare CR as a line end split the header
there. Text with CR LF or LF line ends keeps to the standard-field list in body fields."""
_URL_THEN_ANY_FIELD = re.compile(r"[ \t]*+[a-z][\w+.-]*+://[^\s]*+[\r\n]++" + _FIELD_LINE, re.I)
"""The same in any location when the first line is a URL: the URL is what a redirect writes into ``Location``, so
the break ends that header and the next line is a header of its own. In free-text body fields a note that starts
with a URL then text on the next line is matched only when that line is a bare ``Name:`` line; other
multi-line text with ``Label: value`` lines keeps to the standard-field list."""
_LOOKALIKE_THEN_FIELD = re.compile(r"(?:\u560d?\u560a|\u560a\u560d)" + _FIELD_LINE, re.I | re.A)
"""U+560D U+560A (嘍嘊), whose low bytes are CR LF, right before a ``Name:`` line, in any location: a server that
truncates characters to one byte writes a header line. Chinese text with 嘍 or 嘊 in a sentence
has no ASCII field name and colon right after; other characters with those low bytes (不 U+4E0D, 上 U+4E0A) are
ordinary Chinese and count only before a standard field. The field name is ASCII (``re.A``), as HTTP's are: read
as Unicode, a word character took the CJK characters too, so each U+560A scanned to the end of the value
(quadratic on ``a嘊a嘊…``). The pair in the other order, U+560A U+560D (嘊嘍, LF CR), counts the same: the LF ends
the line, and the CR that follows starts no text."""
_LOOKALIKE_PAIR = re.compile(r"[\x21-\x7e](?:\u560a\u560d|\u560d\u560a)[\x21-\x7e]")
"""The pair U+560A U+560D (嘊嘍, low bytes LF CR) or U+560D U+560A glued between ASCII characters in a path, a query,
a header or a cookie: a server that truncates characters to one byte writes a line break into the URL or header it
builds. Chinese text in a URL does not wedge these two rare characters between Latin letters or digits; in body
fields (where it is text) it is left alone, as a real break between two words is."""
_ESCAPED_BREAK = re.compile(r"(?:\\[rn]|%[\r\n]++0[ad])(?:\\t)*+")
"""A break spelled ``\\r\\n`` (unescaped later by a JSON or C-string layer), or ``%%0a0a`` after one
round of decoding: a filter that strips ``%0a`` once leaves ``%0a``. Tabs spelled ``\\t`` right after such a break
(``\\r\\n\\tX-Name:``, ``\\r\\tX-Name:``) are the indentation of a folded header line: dropped with the break."""
_PROTO = re.compile(
    r"(?:^|[.\[\"'/?&])__proto__(?:$|[.\[\]\"'/=])"
    r"|constructor\s*+[\"']?\s*+\]?\s*+(?:\.|\[\s*+[\"']?|/|:\s*+\{\s*+[\"'])\s*+prototype\b"
)
"""``__proto__`` as a path segment, and ``constructor`` then ``prototype`` in dotted, bracket
(``x[constructor][prototype]``), slash or JSON-text (``{"constructor": {"prototype": …}}``) form."""


_WEB_URL = re.compile(r"https?://[^\s\"'<>]+", re.I)


_SLASHES = str.maketrans({
    "\u2215": "/", "\u2044": "/", "\u29f8": "/", "\u29f9": "\\", "\ufe68": "\\", "\u2216": "\\", "\u29f5": "\\",
    "\ufffd": "/",
})
"""Slash look-alikes (division slash, fraction slash, set minus …) and U+FFFD, which stands for bytes a
decoder rejected, such as the overlong ``%c0%af`` some servers still read as "/"."""


_STRAY_PERCENT = re.compile(r"%(?![0-9a-f]{2})", re.I)
"""A ``%`` that starts no escape: IIS and ASP drop it, so ``..%\\`` reaches the file system as ``..\\``."""


_GLOB_PATH = re.compile(r"(?:/[\w.?*\[\]-]+){2,}")
SENSITIVE_PATHS = ("/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts", "/etc/sudoers", "/etc/issue",
                   "/proc/self/environ", "/proc/self/cmdline", "/root/.ssh/id_rsa", "/root/.bash_history")


_SHELL_VAR = re.compile(r"\$(?:\{\w*\}|[a-z_]\w*|\d)", re.I)

_JUNK = r"(?:%u[0-9a-f]{4}|%c[01][89ab][0-9a-f]|%[0-9a-z]{0,2}|[^\w\s])"
_JUNK_TARGET = re.compile(
    r"(?:etc" + _JUNK + r"{1,6}(?:passwd|shadow|group|hosts|issue|sudoers)|(?:boot|win|system)\.ini"
    r"|win(?:dows|nt)" + _JUNK + r"{1,6}(?:system32|system\.ini|win\.ini|repair))(?![a-z0-9])",
    re.I,
)
"""A file worth stealing whose slashes are spelled by escapes no standard decoder reads (``etc%c1%pcpasswd``,
``etc%uEFC8issue``, ``etc%%35%%63passwd``), or a Windows file that needs no slash (``boot.ini``). Old IIS read
invalid hex digits as numbers (``%c1%pc`` is its overlong backslash ``%c1%9c``, ``%bg%qf`` its ``%c0%af``), and
double-decoding or best-fit stacks read the others: the shape, not the decoder, is what counts. An overlong pair
whose continuation byte is written as bare hex (``%C0AE`` for ``%c0%ae``, ``%C0AF`` for ``%c0%af``: a fuzz list's
half-encoded dot and slash, fresh37) is one escape too."""
_JUNK_RUN_REVERSED = re.compile(r"(?:[0-9a-f]{4}u%|[0-9a-f][89ab][01]c%|[0-9a-z]{0,2}%|[^\w\s])+", re.I)
"""The separator junk of ``_JUNK`` read backwards from a target's start: a run of escapes (valid or not), ``%uXXXX``
and punctuation or control characters, no letter or digit outside an escape and no blank."""
_DOTS_APART = re.compile(r"\.\.[^.]+\.\.")
_CLIMB_UNIT = range(3, 41)
_ONE_ESCAPE = re.compile(r"%(?:u[0-9a-f]{4}|[0-9a-z]{0,2})", re.I)
_BLANK_ESCAPE = re.compile(r"%(?:20|0[9a-d]|u0020)", re.I)


def _climb_unit(unit: str) -> bool:
    """A unit a climb repeats: more than one escape or character, not itself a repetition, and with a dot, a ``%``
    or a ``?`` once escaped blanks are set aside (``%20%20`` or ``%0d%0a`` twice is double-encoded spacing)."""
    if _ONE_ESCAPE.fullmatch(unit) or len(set(unit)) < 2 or (unit + unit).find(unit, 1) != len(unit):
        return False
    rest = _BLANK_ESCAPE.sub("", unit) if "%" in unit else unit
    return any(c in rest for c in ".%?")


def _junk_climb(run: str) -> bool:
    """``run`` ends in a climb: one unit of at least three characters written twice in a row (``_climb_unit``:
    ``..%bg%qf..%bg%qf``, ``%c0%6e%c1%8s`` twice, ``.?%uEFC8.?%uEFC8``), or holds two ``..`` apart."""
    for size in _CLIMB_UNIT:
        if 2 * size > len(run):
            break
        unit = run[-size:]
        if unit == run[-2 * size : -size] and _climb_unit(unit):
            return True
    return _DOTS_APART.search(run) is not None


def _junk_traversal(value: str) -> Span:
    """A target of ``_JUNK_TARGET`` right after a climb of dot-dot units in separator junk (``_junk_climb``): the
    traversal of a fuzzer (dotdotpwn) that tries every slash spelling a server was ever known to read. A target
    named in prose has a blank or a word before it, not a repeated unit of escapes."""
    for m in _JUNK_TARGET.finditer(value):
        start = m.start()
        window = value[max(0, start - 80) : start][::-1]
        run = _JUNK_RUN_REVERSED.match(window)
        if run is not None and _junk_climb(run.group()[::-1]):
            return start - run.end(), m.end()
    return None


def _glob_sensitive(value: str) -> Span:
    """A shell glob that expands to a file worth stealing (``/e?c/?asswd``, ``/???/??ss??``): the shell
    resolves it, so the file's name never appears. At least two literal characters, so ``/*/*`` is not one."""
    for m in _GLOB_PATH.finditer(value):
        glob = m.group()
        if len(glob) > 64 or ("?" not in glob and "*" not in glob) or sum(c.isalnum() for c in glob) < 2:
            continue  # no sensitive path is longer than 64 characters
        rx = re.compile(re.escape(glob).replace(r"\?", "[^/]").replace(r"\*", "[^/]*"))
        if any(rx.fullmatch(p) for p in SENSITIVE_PATHS):
            return m.start(), m.end()
    return None


_WRITTEN_SEPARATOR = re.compile(r"%(?:25)*(?:2f|5c|00)|\\x00|\\u0000", re.I)


def _nul_after_path(value: str) -> re.Match[str] | None:
    """The first path cut by a NUL (``_NUL_AFTER_PATH``) that names something: a bare ``/`` before a NUL is not one."""
    for m in _NUL_AFTER_PATH.finditer(value):
        if any(c.isalnum() for c in _WRITTEN_SEPARATOR.sub("", m.group())):
            return m
    return None


def _traversal(text: str) -> re.Match[str] | None:
    """The first ``_TRAVERSAL`` match that is not an elision: one three-dot segment between two names
    (``C:/Users/.../app.py``, ``/home/.../project``) leaves a path out in prose; a run of them (``/.../.../``), two
    dots or four stay traversals (fresh50)."""
    m = _TRAVERSAL.search(text)
    if m is None or "..." not in m.group():
        return m  # the common case costs one search, as before
    for m in _TRAVERSAL.finditer(text):
        start, end = m.span()
        elided = m.group() in ("/.../", "\\...\\") and 0 < start and end < len(text)
        if not (elided and (text[start - 1].isalnum() or text[start - 1] in "_-")
                and (text[end].isalnum() or text[end] in "_-")):
            return m
    return None


_ENCODED_CLIMBS = re.compile(r"(?:(?:%2e|\.)(?:%2e|\.)(?:%2f|%5c)|%2e%2e[/\\]){2}", re.I)


def _encoded_climbs_in_url(value: str) -> re.Match[str] | None:
    """Two climbs with an encoded dot or separator inside an http(s) URL of ``value``."""
    for url in _WEB_URL.finditer(value):
        if (m := _ENCODED_CLIMBS.search(value, url.start(), url.end())) is not None:
            return m
    return None


def traversal(value: str, ctx: Context) -> Span:
    """Dot-dot segments, except inside an http(s) URL, whose client resolves them before sending; percent-encoded
    climbs inside a URL count (``http://host/%2e%2e%2f%2e%2e%2ftmp%2fx``, fresh80): no client resolves those, the
    server that decodes the path before it joins it to a folder does. Slash look-alikes (division slash, fraction
    slash) count as slashes; stray ``%`` signs are dropped."""
    original = value
    if not value.isascii():
        value = value.translate(_SLASHES)
    if "%" in value and ".." in value:
        value = _STRAY_PERCENT.sub("", value)
    outside = _WEB_URL.sub(lambda m: " " * len(m.group()), value) if "://" in value else value
    if "../" in outside:
        outside = relative_link_mask(outside)  # fresh54: [x](../guide), href="../x": resolved by the browser
    m = _traversal(outside) or _SENSITIVE_FILE.search(value) or _UNC.match(value) or (
        (_SYSTEM_FILE.fullmatch(value) or _SYSTEM_DIRECTORY.fullmatch(value)) if value[:8].lstrip().startswith("/")
        and not (
            ctx.kind == "body" and not ctx.is_key and _config_path_field(ctx.name)) else None) or (
        _WEB_SERVER_LOG.fullmatch(value) if "log" in value else None) or (
        _NUL_AFTER_NAME.search(value) if "0" in value or "\x00" in value else None) or (
        _nul_after_path(value) if "\x00" in value or "00" in value else None) or (
        _BACKSLASH_ZERO_AFTER_PATH.search(value) if "\\0" in value else None) or (
        _ALIAS_TRAVERSAL.search(outside) if "../" in outside or "..\\" in outside else None)
    if m is None and "%" in value and "://" in value:
        m = _encoded_climbs_in_url(value)
    if m is None and ("/./" in value or "\\.\\" in value):
        # ``/./`` is a no-op segment: ``/./etc/./passwd`` is ``/etc/passwd`` to the file system
        resolved = _DOT_SEGMENT.sub("/", value)
        m = _SENSITIVE_FILE.search(resolved) or (
            _SYSTEM_FILE.fullmatch(resolved) if resolved[:8].lstrip().startswith("/") and not (
                ctx.kind == "body" and not ctx.is_key and _config_path_field(ctx.name)) else None)
        # fresh65: ``/./././root/test.txt`` is the whole-value ``/root/test.txt``
    if m is None and "." in value and ("\t" in value or "\n" in value or "\r" in value):
        m = _SPLIT_DOT_DOT.search(value)
    if m is None and len(value) < 40 and value.strip().lower() in CREDENTIAL_FILE_NAMES:
        return 0, len(value)
    if m is None and "$" in value:
        m = _SENSITIVE_FILE.search(_SHELL_VAR.sub("", value))  # /etc$u/passwd: an unset variable expands to nothing
    if m:
        return m.start(), m.end()
    if "?" in value or "*" in value:
        found = _glob_sensitive(value)
        if found is not None:
            return found
    return _junk_traversal(original) if "%" in original or "?" in original or not original.isascii() else None


def nosqli(value: str, ctx: Context) -> Span:
    if ctx.is_key:
        low = value.lower()
        if low in NOSQL_OPERATORS and low not in ANNOTATION_KEYS and not (
                ctx.kind == "query" and low in ODATA_OPTIONS):
            return 0, len(value)
        m = re.search(r"\[(\$[a-z]+)\]", low)
        if m and m.group(1) in NOSQL_OPERATORS:
            return m.start(), m.end()
    for m in _NOSQL_IN_TEXT.finditer(value):
        if m.group(1).lower() in NOSQL_OPERATORS and not _declares_graphql_variable(value, m.start(1)):
            return m.start(), m.end()
    m2 = _NOSQL_JS.search(value) or (_LEADING_RETURN.match(value) if "return" in value else None) or (
        _MONGO_WRITE.search(value) if "db." in value else None) or (
        _JS_SLEEP.search(value) if "sleep" in value else None) or (
        _RETURN_THEN_VAR.search(value) if "return" in value else None)
    return (m2.start(), m2.end()) if m2 else _next_object_match_all(value)


_NEXT_OBJECT_MATCH_ALL = re.compile(
    r"""\}\s*+,\s*+\{\s*+(["']?)[\w$]{1,64}\1\s*+:\s*+/(?:\^(?:\.[*+]\??)?|\.[*+]\??)\$?/[gimsuy]{0,6}(?=\s*+(?:[},]|$))""")
"""A query object closed and another opened whose field must match a regular expression that matches everything
(``"}, { token: /^/ }``, ``x'}, {"pin": /.+/i``): the injected second object (a second argument, projection or
``$or`` branch) makes the field's value irrelevant. JSON has no regex literals; code that lists objects with a
match-all pattern is a route table, not text sent in a field."""


def _next_object_match_all(value: str) -> Span:
    m = _NEXT_OBJECT_MATCH_ALL.search(value) if "/" in value and "{" in value else None
    return (m.start(), m.end()) if m is not None else None


def _declares_graphql_variable(value: str, at: int) -> bool:
    """True when position ``at`` lies in a GraphQL operation's variable definitions."""
    if "($" not in value:
        return False
    return any(m.start(1) <= at < m.end(1) for m in _GRAPHQL_VARIABLES.finditer(value))


_LDAP_META = frozenset("()*=|&!<>~")


def _metacharacter_probe(value: str) -> bool:
    """A value made only of filter metacharacters and punctuation that holds a filter's parentheses, a
    wildcard, an operator and a combinator (``|!<>=~=>=<=*(),+-"'\\/``): a probe for an LDAP error, not text. The
    keyboard's shifted digit row typed in order (``~!@#$%^&*()_+``, a tokenizer's or a password field's test of "every
    symbol", fresh43's dateparser cases) holds the same characters but ``@#$%^`` between them, which no filter uses;
    a list of nearly every ASCII punctuation mark (20 or more distinct: a password policy's special characters, a
    parser test's ``./\\()"',.;<>~!@#$%^&*|+=[]{}`~?``, fresh44) names characters, it does not build a filter."""
    stripped = value.strip()
    return (len(stripped) >= 10 and not any(c.isalnum() for c in stripped) and "@#$%^" not in stripped
            and len(_LDAP_META.intersection(stripped)) >= 6 and "(" in stripped and ")" in stripped
            and "*" in stripped and "=" in stripped and len(_ASCII_PUNCTUATION.intersection(stripped)) < 20)


_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


_FILTER_FRAGMENT = re.compile(r"[\s*()|&!=]*(?:\*[\s()=]*[|&!]|[|&!][\s()=]*\*)[\s*()|&!=]*")
"""A whole value of filter syntax alone, a wildcard next to a combinator (``*|``, ``|*``, ``!*``, ``*)(|``): the short
probes that make a filter built around the value malformed or always true. A lone ``*`` or ``**`` is left alone
(a search for everything), and so is ``*/*`` (a media range)."""
_WILDCARD_PROBE = re.compile(r"\s*+\(\*\*[^\s()*]{1,64}\*\*\s*+")
"""A whole value that opens a filter and puts a doubled wildcard around a word (``(**word**``): an unbalanced filter
that makes the directory answer with a parse error. Markdown bold in parentheses closes them (``(**note**)``), and a
value is never only an opening parenthesis and a bold word."""
IDENTITY_FIELDS = frozenset({
    "username", "login", "loginname", "logonname", "userid", "uid", "samaccountname", "userprincipalname", "upn",
})
"""Field names (lower case, ``_`` and ``-`` removed) that carry an account name, which an LDAP-backed login or lookup
puts into a filter such as ``(uid=…)``. No directory allows ``*`` in an account name (Active Directory forbids it in
``sAMAccountName``, POSIX in user names), so there ``admin*`` or ``*`` is the filter's wildcard: the first account
that matches. Elsewhere a trailing ``*`` is an ordinary search wildcard (``name=jo*``) or a footnote mark and is not
an attack on its own."""


def _identity_field(ctx: Context) -> bool:
    return not ctx.is_key and ctx.name.replace("_", "").replace("-", "") in IDENTITY_FIELDS


_LDAP_ERROR_PROBE = re.compile(r"\)\s*\(\s*\(\s*\)\s*\)\s*\)\s*\*{3,}")
"""A filter closed more times than opened and a run of wildcards (``x)(()))*****``): an LDAP error probe; neither
prose nor code nests empty parentheses before a row of stars."""


def ldapi(value: str, ctx: Context) -> Span:
    m = _LDAP.search(value)
    if m:
        return m.start(), m.end()
    if "()))" in value and (probe := _LDAP_ERROR_PROBE.search(value)):
        return probe.start(), probe.end()
    if "*" in value and ((len(value) < 64 and _FILTER_FRAGMENT.fullmatch(value)) or _identity_field(ctx)
                         or _WILDCARD_PROBE.fullmatch(value)):
        return 0, len(value)
    return (0, len(value)) if _metacharacter_probe(value) else None


_W3C_DOCTYPE = re.compile(
    r"<!DOCTYPE\s+[\w:.-]+\s+PUBLIC\s+(['\"])-//W3C//DTD [^'\"<>\[]{1,80}\1"
    r"\s*(?:(['\"])https?://www\.w3\.org/[\w./-]{1,120}\.dtd\2)?\s*>",
    re.I,
)
"""A document type of the W3C's own (``<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">``, fresh34): every XHTML page and SVG file opens with one, it has
no internal subset and names the W3C's published DTD, so it declares no entity an attacker chose."""


def xxe(value: str, ctx: Context) -> Span:
    m = _XXE.search(value)
    if m and m.group()[:3] == "<!D" and (w3c := _W3C_DOCTYPE.match(value, m.start())):
        m = _XXE.search(value, w3c.end())  # the rest of the document may still declare an entity
    elif m and m.group()[:3] == "<!D" and (published := published_doctype(value, m.start())) is not None:
        m = _XXE.search(value, published)  # a publisher's own DTD on its own site (public_dtds)
    elif m and m.group()[:3] == "<!D" and (inert := inert_subset(value, m.start())) is not None:
        m = _XXE.search(value, inert)  # fresh57: an internal subset that declares nothing fetched (dtd_subsets)
    if m and m.group()[:6].lower() == "xmlns:" and xinclude_declared_only(value):
        m = _XXE.search(value, m.end())  # fresh57: the XInclude namespace on a document without an include
    if m:
        return m.start(), m.end()
    return _schema_location(value) if "chemalocation" in value.lower() else None


_ENGINES = (("${",), ("{{", "}}", "{%", "%}"), ("<%", "%>"), ("[%",), ("#{",))
"""Delimiters by template family (EL/FreeMarker, Jinja/Twig, ERB/JSP, Template Toolkit, Ruby/Pug)."""


def _ssti_probe(value: str) -> re.Match[str] | None:
    low = value.lower()
    if ("''" in value or '""' in value or "forname" in low) and (reflection := _EL_REFLECTION.search(value)):
        return reflection
    if ("@" in value or "memberaccess" in low) and (ognl := _OGNL.search(value)):
        return ognl
    if "#" in value and (ognl := _OGNL_EXPRESSION.search(value)):
        return ognl
    return _TEMPLATE_PROBE.search(value)


def _escape_free(rendered: str) -> bool:
    """No escaped delimiter is left to render: one level of rendering, so ``ssti`` recurses at most once."""
    return _ESCAPED_DELIMITER.search(rendered) is None


_PROBE_OPENERS = ("${", "{{", "{%", "{#", "<%", "#{", "[[", "@*", "[%", "*{", "@{", "~{")
"""Openers of template syntaxes (EL, Jinja/Twig expression, statement and comment, ERB/JSP, Ruby/JSF, Thymeleaf's
inline expression, Razor's comment, Template Toolkit, Thymeleaf's selection, Razor/Spring and fragment expressions)."""
_VELOCITY_CALL = re.compile(r"#\{?(?:evaluate|include|parse|define)\}?\s*\(\s*[\"'$]", re.I)
"""Velocity directives that evaluate a string or load a template (``#evaluate("…")``, ``#include("…")``,
``#parse($x)``, ``#{include}(…)``); C's ``#include "a.h"`` has no parenthesis."""
_TWIG_CALLBACK = re.compile(
    r"\|\s*(?:map|filter|sort|reduce|find)\s*\(\s*(['\"])\s*(?:call_user_func(?:_array)?|system|exec|shell_exec|passthru"
    r"|popen|proc_open|pcntl_exec|assert|ini_set|putenv|create_function|base64_decode|file_get_contents"
    r"|file_put_contents|readfile|unserialize)\s*\1",
    re.I,
)
"""Twig's ``map``/``filter``/``sort``/``reduce`` given a PHP function's name as the callback
(``{"aWQ=":"base64_decode"}|map("call_user_func")``): the template calls that function on the data. Jinja's
``map('lower')`` names a filter, and no Jinja filter is called ``system`` or ``call_user_func``."""
_LITERAL_MEMBERSHIP = re.compile(r"\{\{-?\s*\d+\s*(?:not\s+)?in\s*\[\s*\d[\d,\s]{0,20}\]\s*-?\}\}", re.I)
"""``{{1in[1]}}``: a number tested against a list of numbers, a constant that renders ``True`` (like ``{{7*7}}``)."""
_SMARTY_COMMENT = re.compile(r"\{\*[^{}]{0,64}?\*\}")
_BRACE_SUM = re.compile(r"\{\s*\d+\s*[-+*/]\s*\d+\s*\}")


def _ssti_shapes(value: str) -> Span:
    """Render probes that compute nothing dangerous but whose output names the engine: a short value made of two or
    more different template openers and next to no letters (``${{/#}}``, ``<%=1%>@*#{1}``, ``{#${{1}}#}}``: delimiter
    soup, which no prose, docs or message template writes; ``${{ github.sha }}`` and ``{{name}}`` have words);
    Smarty's single-brace probe, a sum in braces with a Smarty comment (``{12+34}{*56*}``; a sum alone is JSON-ish);
    Velocity's evaluating directives; Twig's PHP callbacks; a literal membership test."""
    if len(value) <= 64 and sum(o in value for o in _PROBE_OPENERS) >= 2 and (
            sum(c.isalpha() for c in value) <= 2):
        return 0, len(value)
    found = None
    if "{*" in value and _BRACE_SUM.search(value):
        found = _SMARTY_COMMENT.search(value)
    if found is None and "#" in value:
        found = _VELOCITY_CALL.search(value)
    if found is None and "|" in value:
        found = _TWIG_CALLBACK.search(value)
    if found is None and "in" in value:
        found = _LITERAL_MEMBERSHIP.search(value)
    return (found.start(), found.end()) if found else None


_ESCAPED_EL = re.compile(r"([$#])(?:\\[a-z]){1,4}(?=\{)", re.I)
"""An EL opener with backslash-escaped letters between the sigil and the brace (Nexus's ``$\\A{233*233}``): a filter
that looks for ``${`` misses it, the interpolator drops the escapes and evaluates ``${…}``. Text writes a backslash
before a letter in a path or a regex, not between ``$`` and ``{``."""
_RUNPHP_TAG = re.compile(
    r"\{[a-z]\w{0,31}:[a-z]\w{0,31}\b[^{}\n]{0,200}?\brunphp\s*=\s*['\"]?(?:yes|true|on|1)\b", re.I)
"""A DedeCMS-style tag told to run its body as PHP (``{dede:field name='x' runphp='yes'}…{/dede:field}``): the
template engine ``eval``s what the tag holds."""


def _escaped_template(value: str, ctx: Context) -> Span:
    """``_ESCAPED_EL`` rendered as the interpolator reads it, judged once more; a ``runphp`` tag."""
    if "\\" in value and (escaped := _ESCAPED_EL.search(value)):
        rendered = _ESCAPED_EL.sub(r"\1", value)
        if _ESCAPED_EL.search(rendered) is None and ssti(rendered, ctx) is not None:
            return escaped.start(), len(value)
    if "runphp" in value.lower() and (tag := _RUNPHP_TAG.search(value)):
        return tag.start(), tag.end()
    return None


_FORMAT_WALK = re.compile(
    r"\{[ \t]*\w{1,64}(?:\.\w{1,64}|\[[^\[\]{}\n]{0,64}\]){0,8}?"
    r"\.__(?:globals|builtins|subclasses|mro)__(?:\.\w{1,64}|\[[^\[\]{}\n]{0,64}\]){0,8}[ \t]*(?:![rsa])?[ \t]*\}",
    re.I,
)
"""Python's ``str.format`` walking from an object it was given to the module's globals or the builtins
(``{event.__init__.__globals__[CONFIG][SECRET_KEY]}``, ``{0.__class__.__mro__}``): a format string the application
fills with its own objects reads any secret the module holds. ``{self.__class__.__name__}`` (an f-string idiom in a
code snippet) stops at the class name; only the walk to globals, builtins, subclasses or the MRO counts."""
_RUNTIME_HELD = re.compile(
    r"\b(?P<var>[a-z_]\w{0,31})\s*=\s*(?:java\s*\.\s*lang\s*\.\s*)?Runtime\s*\.\s*getRuntime\s*\(\s*\)\s*;"
    r"[^\n]{0,200}?\b(?P=var)\s*\.\s*exec\s*\(",
    re.I,
)
"""Java or MVEL holding the runtime in a variable, then calling its ``exec`` (``Runtime r = Runtime.getRuntime();
r.exec("…")``): the statement form of ``Runtime.getRuntime().exec(`` (see ``shell``), in an expression language a
condition or a template evaluates. One line at most between them; ``Runtime.getRuntime().availableProcessors()``
calls no ``exec``."""


def _code_expression(value: str) -> Span:
    """``_FORMAT_WALK`` or ``_RUNTIME_HELD``, each only when its marker is in the value."""
    if "__" in value and (walk := _FORMAT_WALK.search(value)):
        return walk.start(), walk.end()
    if "untime" in value and (held := _RUNTIME_HELD.search(value)):
        return held.start(), held.end()
    return None


def ssti(value: str, ctx: Context) -> Span:
    """Template expressions that compute or reach the runtime, and the polyglot probes (``${{<%[%'"}}%\\``)
    that mix several engines' delimiters to make one of them fail visibly."""
    if sum(any(d in value for d in family) for family in _ENGINES) >= 3:
        return 0, len(value)
    if value.count("{{") > 1 and ("'" in value or '"' in value):
        rendered = _ESCAPED_DELIMITER.sub(lambda m: m.group(2), value)
        if rendered != value and _escape_free(rendered) and ssti(rendered, ctx) is not None:
            return 0, len(value)
    directive = _SSTI_DIRECTIVE.search(value) or _BRACE_ARITHMETIC.search(value) or _ssti_probe(value)
    if directive:
        return directive.start(), directive.end()
    if (shape := _ssti_shapes(value)) is not None:
        return shape
    if ("\\" in value or "unphp" in value or "UNPHP" in value) and (escaped := _escaped_template(value, ctx)):
        return escaped
    if (code := _code_expression(value)) is not None:
        return code
    searched = 0  # no closing delimiter lies wholly in [an earlier opener's end, searched)
    for m in _SSTI_OPEN.finditer(value):
        end = m.end()
        close = _SSTI_CLOSE.search(value, max(end, searched - 1), end + 1000)  # delimiters are at most 2 long
        if close is None:
            searched = end + 1000  # "{%{%{%…" would otherwise rescan 1,000 characters per opener
        elif _SSTI_BODY.search(value, end, close.start()):
            return m.start(), close.end()
    return None


def resolve_lookups(value: str) -> str:
    """Evaluate Log4j's string-building lookups (``${lower:J}``, ``${::-j}``, ``${env:X:-j}``) the way
    Log4j would, innermost first, so ``${${::-j}ndi:`` becomes ``${jndi:``."""
    for _ in range(8):
        def repl(m: re.Match[str]) -> str:
            body = m.group(1)
            if ":-" in body:
                return body.split(":-", 1)[1]
            name, _, arg = body.partition(":")
            if name.strip().lower() in ("lower", "upper"):
                return arg.lower()
            return m.group(0)

        if not (new := _LOOKUP.sub(repl, value)) or new == value:
            return new
        value = new
    return value


def jndi(value: str, ctx: Context) -> Span:
    m = _JNDI.search(value) or _LOG4J_PREFIX.search(value)
    if m:
        return m.start(), m.end()
    if value.count("${") >= 2 or ":-" in value:
        resolved = resolve_lookups(value)
        if _JNDI.search(resolved):
            return 0, len(value)
    return None


_LOW_BYTE_BREAKS = {c: "\n" for c in range(0x100, 0x10000) if c & 0xFF in (0x0A, 0x0D)}
"""Characters such as U+560A that a server truncating to one byte turns into LF or CR."""


_URLISH = frozenset({"path", "query", "header", "cookie"})


_MAIL_HEADER_LINE = re.compile(
    r"[\r\n]++[ \t]*+(?:bcc|cc|to|from|reply-to|sender|subject|content-type|mime-version|content-transfer-encoding)"
    r"[ \t]*:",
    re.I,
)
_ADDRESS_LINE = re.compile(r"[ \t]*(?:[^\r\n<>@:]{0,64}<)?[^\s@<>]{1,64}@[\w-]+(?:\.[\w-]+)+>?[ \t]*[\r\n]")
_MAIL_FIELD_PARTS = ("mail", "subject", "sender", "recipient", "reply")
_MAIL_FIELD_WORDS = frozenset({"from", "to", "cc", "bcc"})
_MAIL_TEXT_PARTS = ("body", "message", "text", "content", "html", "note", "comment", "description")


def _single_line_mail_field(name: str) -> bool:
    """A field whose value goes into a mail header: ``email``, ``reply_to``, ``contactemail``, ``subject``, ``cc``…;
    not a mail's text (``email_body``, ``mail_message``), where quoted headers are text."""
    if any(part in name for part in _MAIL_TEXT_PARTS):
        return False
    return any(part in name for part in _MAIL_FIELD_PARTS) or any(
        word in _MAIL_FIELD_WORDS for word in re.split(r"[^a-z]+", name))


_TOKEN_THEN_RECIPIENTS = re.compile(
    r"[ \t]*+[^\s:]{1,64}+(?:\r\n?|\n)[ \t]*+(?:bcc|cc|to)[ \t]*+:[ \t]*+"
    r"[^\s@<>,;]{1,64}+@[\w-]++(?:\.[\w-]++)++(?:[ \t]*+[,;][ \t]*+[^\s@<>,;]{1,64}+@[\w-]++(?:\.[\w-]++)++){0,9}+\s*+",
    re.I,
)
"""A whole value of two lines: one token (a subject word, an id: no blank, no colon) and a recipient header holding
nothing but addresses (``Subject\r\nBCC:attacker@evil.example``). A ticket that quotes a mail opens with words and
goes on after its header lines; a mailer handed this as a subject or a name adds a recipient (fresh63)."""


def mail_header(value: str, ctx: Context) -> Span:
    """Mail header injection (CWE-93) in a body field: a line break then a header a mailer obeys (``Bcc:``, ``To:``,
    ``Content-Type:``) in a field that holds an address or a subject (its name says so, or its first line is a
    bare address: ``me@example.org\r\nBcc: list@…``). URL, header and cookie values are the general crlf rule's.
    Prose fields that quote a mail ("From: Ann <a@…>" on a line of a ticket) are neither, and pass. In any field, a
    lone carriage return before that header (``Test\rCC:…``: no editor or client ends a line with CR alone; SMTP
    servers that take it as a line end split the header there) and a one-token line followed by nothing but a
    recipient header (``_TOKEN_THEN_RECIPIENTS``) are injections too (fresh63)."""
    if ctx.kind in _URLISH or ("\n" not in value and "\r" not in value):
        return None
    first_break = min(i for i in (value.find("\r"), value.find("\n")) if i >= 0)
    m = _MAIL_HEADER_LINE.match(value, first_break)  # right after the first line: a ticket quoting a mail is text
    if m is None:
        return None
    if _single_line_mail_field(ctx.name) or _ADDRESS_LINE.match(value):
        return m.start(), m.end()
    if value[first_break] == "\r" and value[first_break + 1 : first_break + 2] != "\n":
        return m.start(), m.end()
    if len(value) <= 800 and _TOKEN_THEN_RECIPIENTS.fullmatch(value):
        return m.start(), m.end()
    return None


_FORGED_LOG_LINE = re.compile(
    r"[ \t]*+[\w.@+-]{0,64}+[ \t]*+(?:\r\n?|\n)[ \t]*+[\[(]?(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}"
    r"|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2})"
)
"""Log forging: a value whose first line is one token (a user name, an id, or nothing) and whose next line opens with
a full timestamp to the second (ISO 8601, syslog's ``Jan  1 00:00:00``, the access log's ``01/Jan/2026:00:00:00``),
perhaps bracketed: written to a line-based log, the second line reads as an entry of its own. A note of several
lines opens with words, and people date a line to the minute, not the second."""


_MESSAGE_START = re.compile(
    r"[ \t]*+(?:(?:GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS)[ \t]+[^\s\x00]{1,2000}[ \t]+HTTP/\d(?:\.\d)?"
    r"|HTTP/\d(?:\.\d)?[ \t]+\d{3}\b[^\n]{0,200})[ \t]*\n")
_HEAD_END = re.compile(r"\n[ \t]*\n")


def _quoted_message_head(value: str, ctx: Context) -> int:
    """Where ``_CRLF_HEADER`` starts looking in a body field whose value is one whole HTTP message written with bare
    line feeds, as a manual or a ticket quotes it (``PUT /person/1 HTTP/1.1\nContent-Type: …\nHost: …\n\n{…}``,
    fresh34): the end of that message's header block, since its own header lines split nothing (no line precedes the
    request or status line). A value with a carriage return, in a URL, header or cookie, or not opening with a start
    line is searched whole, and ``_REQUEST_LINE`` still reads the whole value (a second request after the first)."""
    if ctx.kind in _URLISH or ctx.is_key or "\r" in value or value[:1] not in "GHPDOghpdo \t":
        return 0
    if _MESSAGE_START.match(value) is None:
        return 0
    end = _HEAD_END.search(value)
    return end.end() if end else len(value)


def crlf(value: str, ctx: Context) -> Span:
    if "\n" in value or "\r" in value:
        if ctx.kind in _URLISH or ctx.is_key:
            m = _TOKEN_THEN_ANY_FIELD.match(value)
        else:
            m = _URL_THEN_ANY_FIELD.match(value) if "://" in value else None
        if m:
            return m.start(), m.end()
    if not value.isascii():
        if "\u560a" in value and (m := _LOOKALIKE_THEN_FIELD.search(value)):
            return m.start(), m.end()
        if ctx.kind in _URLISH and "\u560a" in value and (m := _LOOKALIKE_PAIR.search(value)):
            return m.start(), m.end()
        value = value.translate(_LOW_BYTE_BREAKS)
    if "\\" in value or "%" in value:
        value = _ESCAPED_BREAK.sub("\n", value)
    if ctx.kind in ("path", "query", "header", "cookie"):
        m = _BREAK_THEN_FIELD.search(value)
        if m:
            return m.start(), m.end()
    if ("\n" in value or "\r" in value) and ":" in value and (forged := _FORGED_LOG_LINE.match(value)):
        return forged.start(), forged.end()
    if "\r" in value and ":" in value and (lone := _LONE_CR_THEN_FIELD.search(value)):
        return lone.start(), lone.end()
    m2 = _CRLF_HEADER.search(value, _quoted_message_head(value, ctx)) or (
        _REQUEST_LINE.search(value) if "HTTP/" in value else None)
    if m2 is None and (mail := mail_command(value)):
        return mail
    if m2 is None and ":" in value:
        m2 = _HEADER_THEN_BODY.match(value)
    if m2 is None and ":" in value:
        return mail_header(value, ctx)
    return (m2.start(), m2.end()) if m2 else None


_CLASS_LOADER = re.compile(r"(?:^|[.\[])class\s*(?:\.|\[\s*['\"]?)\s*(?:module|classloader|protectiondomain)\b", re.I)
"""Spring data binding walking from any bean to its class loader (``class.module.classLoader.…``, CVE-2022-22965):
the Java form of a prototype-pollution path."""


_CLASS_LOADER_BINDING = re.compile(
    r"(?:^|[.\[&?\s])class\s*(?:\.|\[\s*['\"]?)\s*(?:module\s*['\"]?\s*\]?\s*(?:\.|\[\s*['\"]?)\s*)?classloader"
    r"\s*['\"]?\s*\]?\s*(?:\.|\[)[\w.\[\]'\"]{1,200}=", re.I)
"""The same walk as a ``name=value`` binding in a value (``class.module.classLoader.resources…pattern=%{c2}i``), in
dots or in OGNL's brackets (``class['classLoader']['resources'].context…directory=``, Struts S2-020, fresh50): what
a form or query string carries once another layer splits it."""


def proto(value: str, ctx: Context) -> Span:
    if ctx.is_key and value in ("__proto__", "prototype") and (value == "__proto__" or ctx.name == "constructor"):
        return 0, len(value)
    if ctx.is_key and (loader := _CLASS_LOADER.search(value)):
        return loader.start(), loader.end()
    if ("lassloader" in value or "lassLoader" in value) and (binding := _CLASS_LOADER_BINDING.search(value)):
        return binding.start(), binding.end()
    m = _PROTO.search(value)
    if m:
        return m.start(), m.end()
    if "__proto__" in value and "__proto__" in value.replace("__proto__", ""):
        return 0, len(value)  # __pro__proto__to__: what a sanitiser that deletes "__proto__" once leaves
    return None
