"""A module with every defined function present K times, each extra copy exported.

bench/run compile-large --copies K compiles such a module to show how compile cost grows with a
module's size: the copies are real code of real shape, exported so that no compiler may drop one as
unreachable, while the rest of the module (imports, data, tables) stays as it is. The name section is
left out: its function indices would name only the first copy.

Usage: python3 module_copies.py IN.wasm OUT.wasm K
"""

import sys


# The binary format (spec 5.5): a module is sections of id, size and contents; the function section
# (3) lists each defined function's type index and the code section (10) its body, in the same order.
def with_copies(wasm, copies):
    """The module with every defined function `copies` times, each extra copy exported."""
    sections = []
    position = 8
    while position < len(wasm):
        section_id = wasm[position]
        size, position = read_u32(wasm, position + 1)
        sections.append((section_id, wasm[position:position + size]))
        position += size
    imported_functions = count_imported_functions(sections)
    defined = next((read_u32(body, 0)[0] for section_id, body in sections if section_id == 3), 0)
    if not any(section_id == 7 for section_id, _ in sections):
        sections.insert(next(i for i, (s, _) in enumerate(sections) if s in (8, 9, 12, 10)), (7, b"\x00"))
    out = bytearray(wasm[:8])
    for section_id, body in sections:
        if section_id in (3, 10):
            count, start = read_u32(body, 0)
            body = u32(count * copies) + body[start:] * copies
        elif section_id == 7:
            count, start = read_u32(body, 0)
            extra = bytearray()
            for copy in range(1, copies):
                for function in range(defined):
                    name = f"copy{copy}.function{function}".encode()
                    extra += u32(len(name)) + name + b"\x00" + u32(imported_functions + copy * defined + function)
            body = u32(count + (copies - 1) * defined) + body[start:] + extra
        elif section_id == 0 and custom_name(body) == b"name":
            continue  # its function indices would name only the first copy
        out.append(section_id)
        out += u32(len(body))
        out += body
    return bytes(out)


def count_imported_functions(sections):
    body = next((body for section_id, body in sections if section_id == 2), None)
    if body is None:
        return 0
    count, position = read_u32(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            length, position = read_u32(body, position)
            position += length
        kind = body[position]
        position += 1
        if kind == 0:  # function: a type index
            functions += 1
            _, position = read_u32(body, position)
        elif kind == 1:  # table: a reference type, then limits
            position = skip_limits(body, skip_valtype(body, position))
        elif kind == 2:  # memory: limits
            position = skip_limits(body, position)
        elif kind == 3:  # global: a value type and mutability
            position = skip_valtype(body, position) + 1
        elif kind == 4:  # tag: an attribute byte and a type index
            _, position = read_u32(body, position + 1)
        else:
            sys.exit(f"module_copies: import kind {kind} at section offset {position - 1} is not known here")
    return functions


def skip_valtype(body, position):
    if body[position] in (0x63, 0x64):  # (ref null? heaptype): a signed type index or a short form
        return skip_s33(body, position + 1)
    return position + 1


def skip_limits(body, position):
    flags = body[position]
    _, position = read_u32(body, position + 1)
    if flags & 1:
        _, position = read_u32(body, position)
    return position


def skip_s33(body, position):
    while body[position] & 0x80:
        position += 1
    return position + 1


def custom_name(body):
    length, position = read_u32(body, 0)
    return body[position:position + length]


def read_u32(data, position):
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, position


def u32(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


if __name__ == "__main__":
    if len(sys.argv) != 4 or not sys.argv[3].isdigit() or int(sys.argv[3]) < 1:
        sys.exit("usage: module_copies.py IN.wasm OUT.wasm K   (K >= 1)")
    with open(sys.argv[1], "rb") as source:
        copied = with_copies(source.read(), int(sys.argv[3]))
    with open(sys.argv[2], "wb") as out:
        out.write(copied)
