#include <filesystem>

#include <gtest/gtest.h>

#include "core/error.h"
#include "track/test_util.h"
#include "track/tracking_store.h"

namespace ember::track {
namespace {

using testing::TempDir;

std::string RunWithModel(TrackingStore& store) {
  const std::string id = store.CreateRun("e", "r").run_id;
  std::filesystem::create_directories(store.ArtifactDir(id) + "/model");
  store.EndRun(id, RunStatus::kFinished);
  return id;
}

std::string MessageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const NotFound& e) {
    return e.what();
  }
  return "no NotFound thrown";
}

TEST(ModelRegistryTest, VersionsAliasesAndUris) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string r1 = RunWithModel(store);
  const std::string r2 = RunWithModel(store);
  const ModelVersion v1 = store.RegisterModel("churn", r1, "model", "first try");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.path, dir.path() + "/artifacts/" + r1 + "/model");
  EXPECT_EQ(v1.description, "first try");
  EXPECT_EQ(store.RegisterModel("churn", r2).version, 2);
  EXPECT_EQ(store.RegisterModel("credit", r2).version, 1);
  EXPECT_EQ(store.ListModels(), (std::vector<std::string>{"churn", "credit"}));

  store.SetAlias("churn", "champion", 1);
  store.SetAlias("churn", "challenger", 2);
  store.SetModelVersionTag("churn", 1, "validated", "yes");
  const auto versions = store.ListModelVersions("churn");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].aliases, std::vector<std::string>{"champion"});
  EXPECT_EQ(versions[0].tags.at("validated"), "yes");
  EXPECT_EQ(versions[1].run_id, r2);

  const std::string p1 = dir.path() + "/artifacts/" + r1 + "/model";
  const std::string p2 = dir.path() + "/artifacts/" + r2 + "/model";
  EXPECT_EQ(store.ResolveModelUri("models:/churn@champion"), p1);
  EXPECT_EQ(store.ResolveModelUri("models:/churn@challenger"), p2);
  EXPECT_EQ(store.ResolveModelUri("models:/churn@latest"), p2);
  EXPECT_EQ(store.ResolveModelUri("models:/churn"), p2);
  EXPECT_EQ(store.ResolveModelUri("models:/churn/1"), p1);
  EXPECT_EQ(store.ResolveModelUri("/some/dir/model"), "/some/dir/model");

  // Moving an alias takes it off the old version.
  store.SetAlias("churn", "champion", 2);
  EXPECT_EQ(store.ResolveModelUri("models:/churn@champion"), p2);
  EXPECT_TRUE(store.GetModelVersion("churn", 1).aliases.empty());
  EXPECT_THROW(store.SetAlias("churn", "latest", 1), InvalidArgument);
  EXPECT_THROW(store.SetAlias("churn", "bad alias", 1), InvalidArgument);
  EXPECT_THROW(store.ResolveModelUri("models:/churn/x"), InvalidArgument);
  // A version in use keeps its run.
  EXPECT_THROW(store.DeleteRun(r1), InvalidArgument);
}

TEST(ModelRegistryTest, UnknownNamesListWhatExists) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  EXPECT_NE(MessageOf([&] { store.ResolveModelUri("models:/churn"); }).find("(none)"), std::string::npos);
  const std::string r = RunWithModel(store);
  store.RegisterModel("churn", r);
  store.RegisterModel("credit", r);
  store.SetAlias("churn", "champion", 1);
  const std::string unknown_model = MessageOf([&] { store.ResolveModelUri("models:/chrn@champion"); });
  EXPECT_NE(unknown_model.find("did you mean 'churn'"), std::string::npos) << unknown_model;
  EXPECT_NE(unknown_model.find("churn, credit"), std::string::npos) << unknown_model;
  const std::string unknown_alias = MessageOf([&] { store.ResolveModelUri("models:/churn@champ"); });
  EXPECT_NE(unknown_alias.find("aliases: latest, champion"), std::string::npos) << unknown_alias;
  const std::string unknown_version = MessageOf([&] { store.ResolveModelUri("models:/churn/7"); });
  EXPECT_NE(unknown_version.find("versions: 1"), std::string::npos) << unknown_version;
  EXPECT_THROW(store.SetAlias("churn", "x", 9), NotFound);
  EXPECT_THROW(store.ListModelVersions("nope"), NotFound);
}

TEST(ModelRegistryTest, RegisterNeedsRunAndModelDirectory) {
  TempDir dir;
  TrackingStore store = TrackingStore::Open(dir.path());
  const std::string id = store.CreateRun("e", "r").run_id;
  EXPECT_THROW(store.RegisterModel("m", id), NotFound);  // no model saved
  EXPECT_THROW(store.RegisterModel("m", "0123456789abcdef0123456789abcdef"), NotFound);
  EXPECT_THROW(store.RegisterModel("m", id, "../../etc"), InvalidArgument);
  EXPECT_THROW(store.RegisterModel("bad name", id), InvalidArgument);
  EXPECT_TRUE(store.ListModels().empty());
}

}  // namespace
}  // namespace ember::track
