// Writing the host header as text. Numbers map to the C++ types TypedFunc
// and Imports::func take (i32 -> int32_t, ...; several results -> a tuple);
// a signature with v128 or a reference type has no typed form and is
// reached through kiln::Func / kiln::HostCallback instead.
#include "aotc/backend/host_header.h"

#include <cctype>
#include <set>
#include <sstream>

#include "abi/version.h"

namespace kiln::aotc {

namespace {

const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
      // C's, beyond C++'s
      "restrict", "_Bool", "_Complex", "_Imaginary"};
  return words;
}

// Members and functions the generated code defines itself.
const std::set<std::string>& generated_names() {
  static const std::set<std::string> names = {"get", "instance", "imports_", "instance_",
                                              "module", "instantiate"};
  return names;
}

// A C++ identifier for a wasm name, distinct from every name in `taken`
// (which it joins). Names starting with '_' + capital or holding "__" are
// reserved in C++: those characters are changed too.
std::string identifier(const std::string& name, std::set<std::string>& taken) {
  std::string out;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    char next = ok ? c : '_';
    if (next == '_' && !out.empty() && out.back() == '_') continue;  // no "__"
    out += next;
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9') || out[0] == '_') out.insert(0, "x_");
  if (cpp_keywords().count(out) || generated_names().count(out)) out += '_';
  std::string unique = out;
  for (int n = 2; taken.count(unique); ++n) unique = out + "_" + std::to_string(n);
  taken.insert(unique);
  return unique;
}

// A wasm name in a C++ string literal, and in a comment (printable ASCII only).
std::string literal(const std::string& name) {
  std::string out = "\"";
  for (unsigned char c : name) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c >= 0x20 && c < 0x7f) {
      out += char(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string comment_text(const std::string& name) {
  std::string out;
  for (unsigned char c : name) out += (c >= 0x20 && c < 0x7f && c != '\\') ? char(c) : '?';
  return out;
}

// How each value type is spelled in the headers: as a C++ parameter (null:
// no typed form), as kiln::ValType, as a C parameter (v128: uint8_t[16];
// null: not in the C API), as the kiln_val member and as kiln_valtype.
struct Spelling {
  ValType type;
  const char *cpp, *kiln, *c, *c_member, *c_enum;
};
constexpr Spelling kSpellings[] = {
    {ValType::I32, "int32_t", "kiln::ValType::I32", "int32_t", "i32", "KILN_I32"},
    {ValType::I64, "int64_t", "kiln::ValType::I64", "int64_t", "i64", "KILN_I64"},
    {ValType::F32, "float", "kiln::ValType::F32", "float", "f32", "KILN_F32"},
    {ValType::F64, "double", "kiln::ValType::F64", "double", "f64", "KILN_F64"},
    {ValType::V128, nullptr, "kiln::ValType::V128", "uint8_t", "v128", "KILN_V128"},
    {ValType::FuncRef, nullptr, "kiln::ValType::FuncRef", nullptr, nullptr, nullptr},
    {ValType::ExternRef, nullptr, "kiln::ValType::ExternRef", nullptr, nullptr, nullptr},
};

const Spelling& spelling(ValType t) {
  for (const Spelling& s : kSpellings)
    if (s.type == t) return s;
  return kSpellings[0];  // validated modules hold no other type
}

const char* cpp_type(ValType t) { return spelling(t).cpp; }
const char* kiln_val_type(ValType t) { return spelling(t).kiln; }

const char* wat_type(ValType t) { return abi::val_type_name(t); }

bool typed(const FuncType& type) {
  for (ValType t : type.params)
    if (!cpp_type(t)) return false;
  for (ValType t : type.results)
    if (!cpp_type(t)) return false;
  return true;
}

std::string result_type(const FuncType& type) {
  if (type.results.empty()) return "void";
  if (type.results.size() == 1) return cpp_type(type.results[0]);
  std::string out = "std::tuple<";
  for (size_t i = 0; i < type.results.size(); ++i)
    out += std::string(i ? ", " : "") + cpp_type(type.results[i]);
  return out + ">";
}

// "R(A, B)", optionally with a leading "kiln::Caller&".
std::string signature(const FuncType& type, bool caller = false) {
  std::string out = result_type(type) + "(";
  if (caller) out += type.params.empty() ? "kiln::Caller&" : "kiln::Caller&, ";
  for (size_t i = 0; i < type.params.size(); ++i)
    out += std::string(i ? ", " : "") + cpp_type(type.params[i]);
  return out + ")";
}

std::string wat_signature(const FuncType& type) {
  std::string out = "(";
  for (size_t i = 0; i < type.params.size(); ++i)
    out += std::string(i ? " " : "") + wat_type(type.params[i]);
  out += ") -> (";
  for (size_t i = 0; i < type.results.size(); ++i)
    out += std::string(i ? " " : "") + wat_type(type.results[i]);
  return out + ")";
}

std::string func_type_expr(const FuncType& type) {
  std::string out = "kiln::FuncType{{";
  for (size_t i = 0; i < type.params.size(); ++i)
    out += std::string(i ? ", " : "") + kiln_val_type(type.params[i]);
  out += "}, {";
  for (size_t i = 0; i < type.results.size(); ++i)
    out += std::string(i ? ", " : "") + kiln_val_type(type.results[i]);
  return out + "}}";
}

const char* extern_class(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "kiln::Func";
    case ExternKind::Table: return "kiln::Table";
    case ExternKind::Memory: return "kiln::Memory";
    case ExternKind::Global: return "kiln::Global";
    case ExternKind::Tag: return "kiln::Tag";
  }
  return "kiln::Func";
}

// The kiln::Instance method for an export of this kind: func, table, ...
const char* extern_getter(ExternKind kind) { return abi::extern_kind_name(kind); }

void write_imports(std::ostringstream& h, const Module& module) {
  h << "/// The module's imports, one setter per import (each replaces an earlier\n"
       "/// definition). Functions with only numeric types take a typed callable,\n"
       "/// with or without a leading kiln::Caller&.\n"
       "class Imports {\n"
       " public:\n";
  std::set<std::string> taken;
  for (const Import& im : module.imports) {
    std::string name = identifier(im.module + "_" + im.name, taken);
    std::string where = literal(im.module) + ", " + literal(im.name);
    std::string what = comment_text(im.module) + "." + comment_text(im.name);
    if (im.kind == ExternKind::Func) {
      const FuncType& type = module.types[im.type_index];
      h << "  /// " << what << ": func " << wat_signature(type) << "\n";
      if (typed(type)) {
        for (bool caller : {false, true})
          h << "  Imports& " << name << "(std::function<" << signature(type, caller)
            << "> f) {\n    imports_.func(" << where << ", std::move(f));\n    return *this;\n  }\n";
      } else {
        h << "  Imports& " << name << "(kiln::HostCallback f) {\n    imports_.func(" << where
          << ", " << func_type_expr(type) << ", std::move(f));\n    return *this;\n  }\n";
      }
      h << "  /// " << what << " from any function of the store.\n";
      h << "  Imports& " << name << "(kiln::Func f) {\n    imports_.define(" << where
        << ", kiln::Extern(std::move(f)));\n    return *this;\n  }\n";
    } else {
      h << "  /// " << what << ": " << extern_getter(im.kind) << "\n";
      h << "  Imports& " << name << "(" << extern_class(im.kind) << " value) {\n    imports_.define("
        << where << ", kiln::Extern(std::move(value)));\n    return *this;\n  }\n";
    }
  }
  h << "  /// Every definition made so far, for kiln::Instance::create.\n"
       "  const kiln::Imports& get() const { return imports_; }\n"
       "  kiln::Imports& get() { return imports_; }\n\n"
       " private:\n"
       "  kiln::Imports imports_;\n"
       "};\n\n";
}

void write_exports(std::ostringstream& h, const Module& module) {
  std::set<std::string> taken;
  struct Typed {
    std::string member, signature, name;
  };
  std::vector<Typed> typed_funcs;
  std::ostringstream methods;
  for (const Export& ex : module.exports) {
    std::string name = identifier(ex.name, taken);
    std::string what = comment_text(ex.name);
    if (ex.kind == ExternKind::Func && typed(module.func_type(ex.index))) {
      const FuncType& type = module.func_type(ex.index);
      std::string member = name + "_";
      methods << "  /// " << what << ": func " << wat_signature(type) << "\n  "
              << result_type(type) << " " << name << "(";
      for (size_t i = 0; i < type.params.size(); ++i)
        methods << (i ? ", " : "") << cpp_type(type.params[i]) << " p" << i;
      methods << ") const { return " << member << "(";
      for (size_t i = 0; i < type.params.size(); ++i) methods << (i ? ", " : "") << "p" << i;
      methods << "); }\n";
      typed_funcs.push_back({member, signature(type), literal(ex.name)});
    } else {
      methods << "  /// " << what << ": " << extern_getter(ex.kind);
      if (ex.kind == ExternKind::Func)
        methods << " " << wat_signature(module.func_type(ex.index)) << " (no typed form)";
      methods << "\n  " << extern_class(ex.kind) << " " << name << "() const { return instance_."
              << extern_getter(ex.kind) << "(" << literal(ex.name) << "); }\n";
    }
  }
  h << "/// The module's exports over one instance: typed functions are looked up\n"
       "/// and checked once, here.\n"
       "class Exports {\n"
       " public:\n"
       "  /// Throws kiln::Error if `instance` is not an instance of this module's kind.\n"
       "  explicit Exports(kiln::Instance instance)\n"
       "      : instance_(std::move(instance))";
  for (const Typed& t : typed_funcs)
    h << ",\n        " << t.member << "(instance_.typed_func<" << t.signature << ">(" << t.name
      << "))";
  h << " {}\n"
       "  /// The instance.\n"
       "  const kiln::Instance& instance() const { return instance_; }\n"
    << methods.str() << "\n private:\n  kiln::Instance instance_;\n";
  for (const Typed& t : typed_funcs)
    h << "  kiln::TypedFunc<" << t.signature << "> " << t.member << ";\n";
  h << "};\n\n";
}

// ---- the C header, over include/kiln/c_api.h ----

const char* c_type(ValType t) { return spelling(t).c; }
const char* c_member(ValType t) { return spelling(t).c_member; }
const char* c_valtype(ValType t) { return spelling(t).c_enum; }

// The C API passes numbers and v128, not references.
bool c_passable(const FuncType& type) {
  for (ValType t : type.params)
    if (!c_type(t)) return false;
  for (ValType t : type.results)
    if (!c_type(t)) return false;
  return true;
}

// A static array of the types, or NULL; a name for it is declared first.
std::string c_valtype_array(std::ostringstream& h, const std::string& name,
                            const std::vector<ValType>& types) {
  if (types.empty()) return "NULL";
  h << "  static const kiln_valtype " << name << "[] = {";
  for (size_t i = 0; i < types.size(); ++i) h << (i ? ", " : "") << c_valtype(types[i]);
  h << "};\n";
  return name;
}

void write_c_imports(std::ostringstream& h, const Module& module, const std::string& ns) {
  std::set<std::string> taken;
  for (const Import& im : module.imports) {
    if (im.kind != ExternKind::Func) continue;
    const FuncType& type = module.types[im.type_index];
    std::string name = identifier(im.module + "_" + im.name, taken);
    h << "/* Import " << comment_text(im.module) << "." << comment_text(im.name) << ": func "
      << wat_signature(type) << ". */\n";
    if (!c_passable(type)) {
      h << "/* (reference types: define it through the C++ API) */\n\n";
      continue;
    }
    h << "static inline kiln_error* " << ns << "_import_" << name
      << "(kiln_imports* imports, kiln_host_function function, void* env) {\n";
    std::string params = c_valtype_array(h, "params", type.params);
    std::string results = c_valtype_array(h, "results", type.results);
    h << "  return kiln_imports_func(imports, " << literal(im.module) << ", " << literal(im.name)
      << ", " << params << ", " << type.params.size() << ", " << results << ", "
      << type.results.size() << ", function, env);\n}\n\n";
  }
}

void write_c_call(std::ostringstream& h, const std::string& ns, const std::string& name,
                  const std::string& wasm_name, const FuncType& t) {
  const size_t np = t.params.size(), nr = t.results.size();
  h << "/* " << comment_text(wasm_name) << ": func " << wat_signature(t) << " */\n"
    << "static inline kiln_error* " << ns << "_" << name << "(const " << ns << "_exports* exports";
  for (size_t i = 0; i < np; ++i) {
    if (t.params[i] == ValType::V128) h << ", const uint8_t p" << i << "[16]";
    else h << ", " << c_type(t.params[i]) << " p" << i;
  }
  for (size_t i = 0; i < nr; ++i) h << ", " << c_type(t.results[i]) << "* r" << i;
  h << ") {\n  kiln_val args[" << (np ? np : 1) << "], results[" << (nr ? nr : 1) << "];\n"
    << "  kiln_error* error;\n";
  for (size_t i = 0; i < np; ++i) {
    h << "  args[" << i << "].type = " << c_valtype(t.params[i]) << ";\n";
    if (t.params[i] == ValType::V128)
      h << "  memcpy(args[" << i << "].of.v128, p" << i << ", 16);\n";
    else
      h << "  args[" << i << "].of." << c_member(t.params[i]) << " = p" << i << ";\n";
  }
  h << "  error = kiln_func_call(exports->" << name << ", args, " << np << ", results, " << nr
    << ");\n  if (error) return error;\n";
  for (size_t i = 0; i < nr; ++i) {
    if (t.results[i] == ValType::V128)
      h << "  if (r" << i << ") memcpy(r" << i << ", results[" << i << "].of.v128, 16);\n";
    else
      h << "  if (r" << i << ") *r" << i << " = results[" << i << "].of." << c_member(t.results[i])
        << ";\n";
  }
  h << "  return NULL;\n}\n\n";
}

void write_c_exports(std::ostringstream& h, const Module& module, const std::string& ns) {
  std::set<std::string> taken = {"instance"};
  struct Entry {
    std::string name, wasm_name;
    const FuncType* type;
  };
  std::vector<Entry> funcs;
  for (const Export& ex : module.exports) {
    if (ex.kind != ExternKind::Func || !c_passable(module.func_type(ex.index))) continue;
    funcs.push_back({identifier(ex.name, taken), ex.name, &module.func_type(ex.index)});
  }
  h << "/* The exported functions of one instance, looked up once. */\n"
    << "typedef struct " << ns << "_exports {\n  kiln_instance* instance;\n";
  for (const Entry& f : funcs) h << "  kiln_func* " << f.name << ";\n";
  h << "} " << ns << "_exports;\n\n"
    << "static inline void " << ns << "_exports_release(" << ns << "_exports* exports) {\n";
  for (const Entry& f : funcs) h << "  kiln_func_delete(exports->" << f.name << ");\n";
  h << "  memset(exports, 0, sizeof *exports);\n}\n\n"
    << "/* Fills `exports` from `instance` (which stays the caller's); on an error\n"
    << " * nothing needs releasing. */\n"
    << "static inline kiln_error* " << ns << "_exports_init(" << ns
    << "_exports* exports, kiln_instance* instance) {\n"
    << "  kiln_error* error = NULL;\n"
    << "  memset(exports, 0, sizeof *exports);\n  exports->instance = instance;\n";
  for (const Entry& f : funcs)
    h << "  if (!(exports->" << f.name << " = kiln_instance_func(instance, " << literal(f.wasm_name)
      << ", &error))) {\n    " << ns << "_exports_release(exports);\n    return error;\n  }\n";
  h << "  return error;\n}\n\n";
  for (const Entry& f : funcs) write_c_call(h, ns, f.name, f.wasm_name, *f.type);
}

}  // namespace

bool is_language_keyword(const std::string& name) { return cpp_keywords().count(name) != 0; }

std::string c_host_header(const Module& module, const HostHeaderOptions& options) {
  const std::string& ns = options.prefix;
  std::string guard = ns;
  for (char& c : guard) c = char(std::toupper(static_cast<unsigned char>(c)));
  guard += "_KILN_C_H";
  std::ostringstream h;
  h << "/* " << ns << ": written by " << abi::kCompilerVersion << " from "
    << comment_text(options.source_name) << "; do not edit.\n"
    << " * C access to the module through kiln/c_api.h: one function per import to\n"
    << " * define it, and one per exported function taking and returning C numbers\n"
    << " * (v128 as uint8_t[16]); each returns NULL or a kiln_error*. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n"
    << "#include <stdint.h>\n#include <string.h>\n\n#include <kiln/c_api.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  if (options.linked)
    h << "/* The module's descriptor, defined in lib" << ns << ".a. */\n"
      << "extern const kiln_linked_descriptor " << ns << abi::kLinkedDescriptorSuffix << ";\n\n"
      << "/* The linked module (checked and registered on first use). */\n"
      << "static inline kiln_module* " << ns << "_module(kiln_error** error) {\n"
      << "  return kiln_module_linked(&" << ns << abi::kLinkedDescriptorSuffix << ", "
      << literal(ns) << ", error);\n}\n\n";
  write_c_imports(h, module, ns);
  write_c_exports(h, module, ns);
  h << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return h.str();
}

std::string host_header(const Module& module, const HostHeaderOptions& options) {
  const std::string& ns = options.prefix;
  std::ostringstream h;
  h << "// " << ns << ".h: written by " << abi::kCompilerVersion << " from "
    << comment_text(options.source_name) << "; do not edit.\n"
    << "// Typed access to the module's imports and exports through kiln (include/kiln/).\n";
  if (options.linked)
    h << "// The module is linked into this program: link lib" << ns
      << ".a (aotc --emit=static) and libkiln.\n";
  h << "#pragma once\n"
       "#include <cstdint>\n"
       "#include <functional>\n"
       "#include <string_view>\n"
       "#include <tuple>\n"
       "#include <utility>\n\n"
       "#include <kiln/kiln.h>\n\n";
  if (options.linked)
    h << "/// The module's descriptor, defined in lib" << ns << ".a.\n"
      << "extern \"C\" const kiln::LinkedDescriptor " << ns << abi::kLinkedDescriptorSuffix
      << ";\n\n";
  h << "namespace " << ns << " {\n\n";
  if (options.linked)
    h << "/// The linked module (checked and registered on first use; the same module\n"
         "/// every time).\n"
         "inline kiln::Module module() {\n"
      << "  return kiln::Module::linked(" << ns << abi::kLinkedDescriptorSuffix << ", "
      << literal(ns) << ");\n}\n\n";
  write_imports(h, module);
  write_exports(h, module);
  if (options.linked)
    h << "/// Instantiates the module in `store` with `imports`.\n"
         "inline Exports instantiate(kiln::Store& store, const Imports& imports = Imports()) {\n"
         "  return Exports(kiln::Instance::create(store, module(), imports.get()));\n}\n\n";
  h << "}  // namespace " << ns << "\n";
  return h.str();
}

}  // namespace kiln::aotc
