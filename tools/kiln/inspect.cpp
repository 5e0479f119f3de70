// Formatting an ArtifactInfo as text or as JSON (kiln-inspect/1, described
// by inspect.schema.json beside this file).
#include "tools/kiln/inspect.h"

#include <cstdio>
#include <string>

#include "kiln/kiln.h"
#include "loader/artifact_inspect.h"

namespace kiln::tool {

namespace {

using loader::ArtifactInfo;

// A JSON string: control characters, quotes and backslashes escaped; bytes
// that are not valid UTF-8 (wasm names may hold any bytes) as \u00XX.
std::string json(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool valid = length > 0 && i + length <= s.size();
    for (size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c < 0x20 || !valid) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      i += 1;
      continue;
    } else {
      out.append(s, i, length);
      i += length;
      continue;
    }
    ++i;
  }
  return out + "\"";
}

std::string json_max(const Limits& l) { return l.max ? std::to_string(*l.max) : "null"; }

template <class T, class F>
std::string json_array(const std::vector<T>& items, F item) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + item(items[i]);
  return out + "]";
}

std::string type_text(const ExternType& t) { return t.to_string(); }

std::string to_json(const ArtifactInfo& a) {
  std::string o = "{\n";
  auto field = [&](const char* name, const std::string& value, bool last = false) {
    o += "  \"" + std::string(name) + "\": " + value + (last ? "\n" : ",\n");
  };
  auto num = [](uint64_t v) { return std::to_string(v); };
  field("schema", json("kiln-inspect/1"));
  field("path", json(a.path));
  field("file_size", num(a.file_size));
  field("machine", json(a.machine));
  field("target_triple", json(a.target_triple));
  field("cpu_name", json(a.cpu_name));
  field("cpu_features", json_array(a.cpu_features, [](const std::string& f) { return json(f); }));
  field("abi_version", num(a.abi_version));
  field("compiler_version", json(a.compiler_version));
  field("wasm_features", json_array(a.wasm_features, [](const std::string& f) { return json(f); }));
  field("options", "{\"opt_level\": " + num(a.opt_level) + ", \"bounds_checks\": " +
                       json(a.bounds_checks) + ", \"interruptible\": " +
                       (a.interruptible ? "true" : "false") + "}");
  field("module_hash", json(a.module_hash));
  field("artifact_hash", json(a.artifact_hash));
  field("artifact_hash_matches", a.artifact_hash_matches ? "true" : "false");
  field("decoded", a.decoded ? "true" : "false");
  field("descriptor_problem", a.descriptor_problem.empty() ? "null" : json(a.descriptor_problem));
  field("functions", "{\"defined\": " + num(a.defined_functions) + ", \"imported\": " +
                         num(a.imported_functions) + "}");
  field("code_bytes", num(a.code_bytes));
  field("descriptor_bytes", num(a.descriptor_bytes));
  field("data_segments", "{\"count\": " + num(a.data_segments) + ", \"bytes\": " +
                             num(a.data_segment_bytes) + "}");
  field("element_segments", num(a.element_segments));
  field("trap_sites", num(a.trap_sites));
  field("start_function", a.start_function.empty() ? "null" : json(a.start_function));
  field("imports", json_array(a.imports, [](const ImportType& i) {
          return "{\"module\": " + json(i.module) + ", \"name\": " + json(i.name) + ", \"kind\": " +
                 json(to_string(i.type.kind())) + ", \"type\": " + json(type_text(i.type)) + "}";
        }));
  field("exports", json_array(a.exports, [](const ExportType& e) {
          return "{\"name\": " + json(e.name) + ", \"kind\": " + json(to_string(e.type.kind())) +
                 ", \"type\": " + json(type_text(e.type)) + "}";
        }));
  field("tables", json_array(a.tables, [&](const TableType& t) {
          return "{\"element\": " + json(to_string(t.elem_type)) + ", \"min\": " + num(t.limits.min) +
                 ", \"max\": " + json_max(t.limits) + "}";
        }));
  field("memories", json_array(a.memories, [&](const MemoryType& m) {
          return "{\"min\": " + num(m.limits.min) + ", \"max\": " + json_max(m.limits) +
                 ", \"shared\": " + (m.shared ? "true" : "false") + ", \"address\": " + json(m.address64 ? "i64" : "i32") + "}";
        }));
  field("globals", json_array(a.globals, [](const GlobalType& g) {
          return "{\"type\": " + json(to_string(g.type)) + ", \"mutable\": " +
                 (g.is_mutable ? "true" : "false") + "}";
        }),
        true);
  return o + "}\n";
}

// Names as the text shows them: printable, with anything else escaped.
std::string shown(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string to_text(const ArtifactInfo& a) {
  std::string features;
  for (const std::string& f : a.cpu_features) features += (features.empty() ? "" : ",") + f;
  std::string o;
  o += "artifact:      " + a.path + " (" + std::to_string(a.file_size) + " bytes)\n";
  o += "target:        " + a.target_triple + " (ELF " + a.machine + "), CPU " + a.cpu_name + "\n";
  o += "CPU features:  " + (features.empty() ? std::string("(none)") : features) + "\n";
  o += "compiled by:   " + a.compiler_version + ", ABI " + std::to_string(a.abi_version) + ", -O" +
       std::to_string(a.opt_level) + ", " + a.bounds_checks + " bounds checks, " +
       (a.interruptible ? "interruptible" : "not interruptible") + "\n";
  std::string wasm_features;
  for (const std::string& f : a.wasm_features) wasm_features += (wasm_features.empty() ? "" : ",") + f;
  o += "wasm features: " + (wasm_features.empty() ? std::string("(WebAssembly 2.0 only)") : wasm_features) + "\n";
  o += "module hash:   " + a.module_hash + " (SHA-256 of the .wasm)\n";
  o += "artifact hash: " + a.artifact_hash +
       (a.artifact_hash_matches ? " (matches the file)\n" : " (DOES NOT match the file)\n");
  if (!a.decoded) return o + "descriptor:    not decoded: " + a.descriptor_problem + "\n";
  o += "functions:     " + std::to_string(a.defined_functions) + " defined, " +
       std::to_string(a.imported_functions) + " imported; " + std::to_string(a.code_bytes) +
       " bytes of code, " + std::to_string(a.trap_sites) + " trap sites\n";
  o += "data:          " + std::to_string(a.data_segments) + " data segments (" +
       std::to_string(a.data_segment_bytes) + " bytes), " + std::to_string(a.element_segments) +
       " element segments; descriptor " + std::to_string(a.descriptor_bytes) + " bytes\n";
  if (!a.start_function.empty()) o += "start:         " + shown(a.start_function) + "\n";
  for (const TableType& t : a.tables) o += "table:         " + t.to_string() + "\n";
  for (const MemoryType& m : a.memories) o += "memory:        " + m.to_string() + "\n";
  for (const GlobalType& g : a.globals) o += "global:        " + g.to_string() + "\n";
  o += "imports (" + std::to_string(a.imports.size()) + "):\n";
  for (const ImportType& i : a.imports)
    o += "  " + shown(i.module) + "." + shown(i.name) + ": " + type_text(i.type) + "\n";
  o += "exports (" + std::to_string(a.exports.size()) + "):\n";
  for (const ExportType& e : a.exports) o += "  " + shown(e.name) + ": " + type_text(e.type) + "\n";
  return o;
}

}  // namespace

int inspect_command(const std::string& path, bool as_json) {
  try {
    ArtifactInfo info = loader::inspect_artifact(path).or_throw();
    std::fputs((as_json ? to_json(info) : to_text(info)).c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

int check_command(const std::string& path) {
  try {
    std::vector<std::string> problems = loader::load_problems(path);
    if (problems.empty()) {
      std::printf("%s: would load on this machine\n", path.c_str());
      return 0;
    }
    for (const std::string& p : problems) std::printf("%s: %s\n", path.c_str(), p.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace kiln::tool
