package dev.kiln.wat.resolve;

/**
 * The module-level identifier contexts (spec 6.6.4) that instructions resolve against.
 *
 * @param types type definitions and their fields
 * @param funcs functions
 * @param tables tables
 * @param memories memories
 * @param globals globals
 * @param tags tags
 * @param elems element segments
 * @param datas data segments
 */
record Scope(Types types, IndexSpace funcs, IndexSpace tables, IndexSpace memories, IndexSpace globals,
    IndexSpace tags, IndexSpace elems, IndexSpace datas) {}
