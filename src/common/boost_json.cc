// The compiled part of Boost.JSON, built here once for the library (sql/function's JSON
// operators) and the server: Debian's Boost 1.81 packages the headers but no
// libboost_json. Every other file includes <boost/json.hpp> only.
#include <boost/json/src.hpp>
