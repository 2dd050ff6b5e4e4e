package dev.kiln.wat.resolve;

import dev.kiln.wat.Edition;
import java.util.List;

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
 * @param memory64 for each memory, whether its address type is i64
 * @param edition the text rules in force
 */
record Scope(Types types, IndexSpace funcs, IndexSpace tables, IndexSpace memories, IndexSpace globals,
    IndexSpace tags, IndexSpace elems, IndexSpace datas, List<Boolean> memory64, Edition edition) {}
