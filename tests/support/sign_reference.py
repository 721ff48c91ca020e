#!/usr/bin/env python3
"""An independent implementation of the Qimen/TOP and wdt signs, for tests/sign_python.rs.

Written from the algorithms in PROTOCOL-NOTES §1 and §2 with the standard library only
(hashlib, hmac); it shares no code with qmwire.

Input (the file named on the command line): one case per line, tab-separated fields, every
text field hex-encoded UTF-8 (so any character, including tabs and newlines, survives):

    kind  secret  body  name=value,name=value,...

- kind: top-md5 | top-hmac | top-hmac-sha256 | wdt | wdt-ultimate | wdt-qimen
- body: `-` for no body; for wdt-qimen, the Qimen method
- params: comma-separated `name=value` pairs (hex on each side), possibly none

Output: one sign per line, in input order.
"""

import decimal
import hashlib
import hmac
import json
import sys


def unhex(field):
    return bytes.fromhex(field).decode("utf-8")


def top_sign(kind, secret, params, body):
    # TOP: drop `sign` and empty names/values, sort names by UTF-16 code unit, concatenate
    # name + value, append the raw body; md5 wraps the secret around, the hmacs key with it.
    kept = [(k, v) for k, v in params if k != "sign" and k != "" and v != ""]
    kept.sort(key=lambda kv: kv[0].encode("utf-16-be"))
    message = "".join(k + v for k, v in kept).encode("utf-8")
    if body is not None:
        message += body.encode("utf-8")
    key = secret.encode("utf-8")
    if kind == "top-md5":
        digest = hashlib.md5(key + message + key).hexdigest()
    elif kind == "top-hmac":
        digest = hmac.new(key, message, hashlib.md5).hexdigest()
    elif kind == "top-hmac-sha256":
        digest = hmac.new(key, message, hashlib.sha256).hexdigest()
    else:
        raise ValueError(kind)
    return digest.upper()


def wdt_sign(secret, params):
    # 企业版: sort by name, `%02d-name:%04d-value` with lengths in code points, joined by `;`,
    # then md5(packed + appsecret) in lowercase.
    kept = sorted((k, v) for k, v in params if k != "sign")
    packed = ";".join(
        "%02d-%s:%04d-%s" % (len(k), k, len(v), v) for k, v in kept
    )
    return hashlib.md5((packed + secret).encode("utf-8")).hexdigest()


def wdt_ultimate_sign(secret, params, body):
    # 旗舰版: sorted name + value over the query params and `body`, secret on both sides.
    kept = [(k, v) for k, v in params if k != "sign"]
    if body is not None:
        kept.append(("body", body))
    kept.sort(key=lambda kv: kv[0].encode("utf-8"))
    text = secret + "".join(k + v for k, v in kept) + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest()


# Parameters wdt_sign never covers: itself, the customer id, and the TOP/Qimen system parameters.
QIMEN_CUSTOM_SKIPPED = {
    "wdt_sign", "wdt3_customer_id", "sign", "app_key", "target_app_key", "sign_method",
    "timestamp", "format", "v", "session", "partner_id", "customerId", "method",
}


def utf16_key(text):
    return text.encode("utf-16-be")


def plain_number(d):
    # Java BigDecimal.toPlainString: no exponent, scale kept, no negative zero.
    if d == 0:
        d = abs(d)
    return format(d, "f")


def canonical_json(value, out):
    if value is None:
        return
    if value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, decimal.Decimal):
        out.append(plain_number(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, str):
        canonical_text(value, out)
    elif isinstance(value, list):
        for item in value:
            canonical_json(item, out)
    elif isinstance(value, dict):
        for key in sorted(value, key=utf16_key):
            if value[key] is not None:
                out.append(key)
                canonical_json(value[key], out)
    else:
        raise TypeError(type(value))


def canonical_text(text, out):
    # A text that is a JSON object or array is expanded; anything else is kept as it is.
    stripped = text.strip(" \t\n\r")
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(stripped, parse_float=decimal.Decimal)
        except ValueError:
            parsed = None
        if isinstance(parsed, (dict, list)):
            canonical_json(parsed, out)
            return
    out.append(text)


def wdt_qimen_sign(secret, params, method):
    # wdt_sign: md5(secret + S + secret), S over the business params plus `method` (without a
    # namespace prefix before `wdt.`), sorted by UTF-16 name, JSON values expanded.
    method = method.strip()
    if not method.startswith("wdt.") and ".wdt." in method:
        method = method[method.index(".wdt.") + 1:]
    kept = [(k, v) for k, v in params if k not in QIMEN_CUSTOM_SKIPPED]
    kept.append(("method", method))
    kept.sort(key=lambda kv: utf16_key(kv[0]))
    out = []
    for k, v in kept:
        out.append(k)
        canonical_text(v, out)
    text = secret + "".join(out) + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def main(path):
    out = []
    with open(path, "r", encoding="ascii") as cases:
        for line in cases:
            line = line.rstrip("\n")
            kind, secret_hex, body_hex, params_field = line.split("\t")
            secret = unhex(secret_hex)
            body = None if body_hex == "-" else unhex(body_hex)
            params = []
            if params_field:
                for pair in params_field.split(","):
                    k, v = pair.split("=")
                    params.append((unhex(k), unhex(v)))
            if kind.startswith("top-"):
                out.append(top_sign(kind, secret, params, body))
            elif kind == "wdt":
                out.append(wdt_sign(secret, params))
            elif kind == "wdt-ultimate":
                out.append(wdt_ultimate_sign(secret, params, body))
            elif kind == "wdt-qimen":
                out.append(wdt_qimen_sign(secret, params, body))
            else:
                raise ValueError("unknown kind " + kind)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
