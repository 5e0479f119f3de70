// Writing the host header as text. Numbers map to the C++ types TypedFunc
// and Imports::func take (i32 -> int32_t, ...; several results -> a tuple);
// a signature with v128 or a reference type has no typed form and is
// reached through kiln::Func / kiln::HostCallback instead.
#include "aotc/backend/host_header.h"

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
      // members and names the generated classes use themselves
      "get", "instance", "imports_", "instance_", "module", "instantiate"};
  return words;
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
  if (cpp_keywords().count(out)) out += '_';
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

const char* cpp_type(ValType t) {
  switch (t) {
    case ValType::I32: return "int32_t";
    case ValType::I64: return "int64_t";
    case ValType::F32: return "float";
    case ValType::F64: return "double";
    default: return nullptr;
  }
}

const char* kiln_val_type(ValType t) {
  switch (t) {
    case ValType::I32: return "kiln::ValType::I32";
    case ValType::I64: return "kiln::ValType::I64";
    case ValType::F32: return "kiln::ValType::F32";
    case ValType::F64: return "kiln::ValType::F64";
    case ValType::V128: return "kiln::ValType::V128";
    case ValType::FuncRef: return "kiln::ValType::FuncRef";
    case ValType::ExternRef: return "kiln::ValType::ExternRef";
  }
  return "kiln::ValType::I32";
}

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

}  // namespace

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
