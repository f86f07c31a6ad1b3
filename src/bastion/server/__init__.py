"""The inbound HTTP/1.1 server: asyncio protocols on uvloop with httptools (llhttp), TLS, workers."""
