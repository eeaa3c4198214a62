// Convenience: every AST header of tenantdb's SQL parser.
#pragma once

#include "sql/parser/ast/copy.h"
#include "sql/parser/ast/ddl.h"
#include "sql/parser/ast/dml.h"
#include "sql/parser/ast/expr.h"
#include "sql/parser/ast/select.h"
#include "sql/parser/ast/statement.h"
#include "sql/parser/ast/tenant.h"
#include "sql/parser/ast/utility.h"
