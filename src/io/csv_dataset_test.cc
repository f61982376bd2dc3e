// The reader on the real datasets in tests/data; expected counts and types
// come from tests/data's README (checked by hand against the files).
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "io/csv_reader.h"

namespace ember {
namespace {

std::string DataPath(const std::string& name) { return std::string(EMBER_TEST_DATA_DIR) + "/" + name; }

DataFrame ReadDataset(const std::string& name) {
  return ReadCsv(DataPath(name), CsvReadOptions{}, Context::Default(2));
}

// Checks the type of every listed column, and that the others are strings.
void ExpectTypes(const DataFrame& df, const std::map<std::string, DataType>& non_string) {
  for (const Field& f : df.schema().fields()) {
    const auto it = non_string.find(f.name);
    const DataType want = it == non_string.end() ? DataType::String() : it->second;
    EXPECT_EQ(f.type, want) << f.name << " is " << f.type.ToString();
  }
  for (const auto& [name, type] : non_string) EXPECT_TRUE(df.schema().Contains(name)) << name;
}

size_t TotalNulls(const DataFrame& df) {
  size_t n = 0;
  for (const ColumnPtr& c : df.columns()) n += c->null_count();
  return n;
}

TEST(CsvDatasetTest, WaChurn) {
  const DataFrame df = ReadDataset("wa_churn.csv");
  EXPECT_EQ(df.num_rows(), 7043u);
  EXPECT_EQ(df.num_columns(), 20u);
  const DataType i32 = DataType::Int32();
  const DataType f64 = DataType::Float64();
  ExpectTypes(df, {{"female", i32}, {"senior_citizen", i32}, {"partner", i32}, {"dependents", i32},
                   {"tenure", i32}, {"phone_service", i32}, {"paperless_billing", i32}, {"monthly_charges", f64},
                   {"total_charges", f64}});
  EXPECT_EQ(df.column("total_charges")->null_count(), 11u);
  EXPECT_EQ(TotalNulls(df), 11u);
  EXPECT_EQ(df.schema().field(0).name, "churn");
  const Column& churn = *df.column("churn");
  size_t yes = 0;
  for (size_t i = 0; i < churn.length(); ++i) yes += churn.StringAt(i) == "Yes";
  EXPECT_EQ(yes, 1869u);
  // Exactly the customers with tenure 0 lack total charges.
  const Column& tenure = *df.column("tenure");
  const Column& total = *df.column("total_charges");
  for (size_t i = 0; i < df.num_rows(); ++i) EXPECT_EQ(total.IsNull(i), tenure.values<int32_t>()[i] == 0) << i;
}

TEST(CsvDatasetTest, CreditData) {
  const DataFrame df = ReadDataset("credit_data.csv");
  EXPECT_EQ(df.num_rows(), 4454u);
  EXPECT_EQ(df.num_columns(), 14u);
  // Income, Assets and Debt hold whole numbers only (no '.' in the file), so
  // they stay integers, with nulls.
  const DataType i32 = DataType::Int32();
  ExpectTypes(df, {{"Seniority", i32}, {"Time", i32}, {"Age", i32}, {"Expenses", i32}, {"Income", i32},
                   {"Assets", i32}, {"Debt", i32}, {"Amount", i32}, {"Price", i32}});
  EXPECT_EQ(df.column("Income")->null_count(), 381u);
  EXPECT_EQ(df.column("Assets")->null_count(), 47u);
  EXPECT_EQ(df.column("Debt")->null_count(), 18u);
  EXPECT_EQ(df.column("Home")->null_count(), 6u);
  EXPECT_EQ(df.column("Job")->null_count(), 2u);
  EXPECT_EQ(df.column("Marital")->null_count(), 1u);
  EXPECT_EQ(TotalNulls(df), 455u);
}

TEST(CsvDatasetTest, HpcData) {
  const DataFrame df = ReadDataset("hpc_data.csv");
  EXPECT_EQ(df.num_rows(), 4331u);
  EXPECT_EQ(df.num_columns(), 8u);
  const DataType i32 = DataType::Int32();
  ExpectTypes(df, {{"compounds", i32}, {"input_fields", i32}, {"iterations", i32}, {"num_pending", i32},
                   {"hour", DataType::Float64()}});
  EXPECT_EQ(TotalNulls(df), 0u);
  EXPECT_EQ(df.schema().field(7).name, "class");
}

TEST(CsvDatasetTest, Ames) {
  const DataFrame df = ReadDataset("ames.csv");
  EXPECT_EQ(df.num_rows(), 2930u);
  EXPECT_EQ(df.num_columns(), 74u);
  EXPECT_EQ(TotalNulls(df), 0u);
  EXPECT_EQ(df.schema().field(71).name, "Sale_Price");
  size_t ints = 0;
  size_t strings = 0;
  for (const Field& f : df.schema().fields()) {
    ints += f.type == DataType::Int32();
    strings += f.type == DataType::String();
  }
  EXPECT_EQ(ints, 32u);  // the README's int columns plus Sale_Price
  EXPECT_EQ(strings, 40u);
  EXPECT_EQ(df.column("Longitude")->type(), DataType::Float64());
  EXPECT_EQ(df.column("Latitude")->type(), DataType::Float64());
  for (const auto& [name, count] : std::map<std::string, size_t>{{"Mas_Vnr_Type", 1775}, {"Misc_Feature", 2824}}) {
    const Column& col = *df.column(name);
    EXPECT_EQ(col.null_count(), 0u);
    size_t none = 0;
    for (size_t i = 0; i < col.length(); ++i) none += col.StringAt(i) == "None";
    EXPECT_EQ(none, count) << name;
  }
}

}  // namespace
}  // namespace ember
