#!/bin/bash
# When its build context changes, `dockerops init` rebuilds dockerops/base, dockerops/dns,
# dockerops/agent and dockerops/registry, and removes the images they replaced (no dangling <none>
# images left behind), unless a container still uses them or another image (a user's service image,
# say) is built on them. A dangling image a user built on dockerops/base by hand inherits its labels
# but is not removed. An old dockerops/dns that this project's DNS keeps alive goes when `run`
# recreates the DNS on the new image, and the old base under it with it. The changed context is a
# copy of the data folder's built-in contexts; the
# real one is restored at the end (also on failure), which rebuilds the originals.
source "$(dirname "$0")/runlib.bash"
new_project images-builtin

data=$T_ROOT/data
mkdir -p "$data"
cp -r "$DOCKEROPS_DATA_DIR/base-image" "$DOCKEROPS_DATA_DIR"/*-service "$data/"
echo "# changed by $T_NAME" >>"$data/base-image/profile.sh"
echo '[ {"service": "dockerops-dns", "instance": "main"} ]' >run.conf

user_image=""
extra_cleanup() {
  [[ -z $user_image ]] || docker rmi "$user_image" >/dev/null 2>&1
  # Back to the real build contexts (a cached rebuild of the last layers).
  "$DOCKEROPS_BIN" -q init >/dev/null 2>&1 || echo "warning: restoring dockerops/base failed" >&2
}

image_id() { docker image inspect -f '{{.Id}}' "$1"; }
# The daemon refuses to remove an image another one is built on (the classic builder records it
# as that image's Parent), so dockerops must keep it.
has_child() {
  local ids
  mapfile -t ids < <(docker images -aq --no-trunc)
  docker image inspect -f '{{.Parent}}' "${ids[@]}" | grep -qx "$1"
}
exists() { docker image inspect "$1" >/dev/null 2>&1; }
mine() { [[ -n $(docker ps -aq --filter "ancestor=$1" --filter "label=dockerops.project=$T_NAME") ]]; }
others_use() { [[ -n $(comm -23 <(docker ps -aq --filter "ancestor=$1" | sort) \
  <(docker ps -aq --filter "label=dockerops.project=$T_NAME" | sort)) ]]; }

dockerops -q run:all
old_base=$(image_id dockerops/base)
old_dns=$(image_id dockerops/dns)
# Built without a tag, so dangling from the start; the classic builder records its parents.
user_image=$(printf 'FROM dockerops/base\nLABEL user.image=%s\n' "$T_NAME" |
  DOCKER_BUILDKIT=0 docker build -q --label dockerops.test=1 -) || fail "docker build of the user image"
[[ $(docker image inspect -f '{{index .Config.Labels "dockerops.builtin"}}' "$user_image") == base ]] ||
  fail "the user image does not inherit dockerops.builtin"
DOCKEROPS_DATA_DIR=$data dockerops -q init
exists "$user_image" || fail "init removed a dangling image a user built on dockerops/base"
[[ $(image_id dockerops/base) != "$old_base" ]] || fail "dockerops/base was not rebuilt"
[[ $(image_id dockerops/dns) != "$old_dns" ]] || fail "dockerops/dns was not rebuilt"
mine "$old_dns" || fail "this project's DNS does not run the old dockerops/dns any more"
exists "$old_dns" || fail "the old dockerops/dns was removed while this project's DNS runs it"

# run recreates the DNS on the new image; the old one goes with its last container.
out=$(DOCKEROPS_DATA_DIR=$data dockerops run:all 2>&1)
expect_contains "$out" "dockerops-dns/main: recreated and started" "DNS recreated on the new image"
for old in "$old_base" "$old_dns"; do
  others_use "$old" && continue # a container of someone else's project holds it: it must stay
  has_child "$old" && continue  # so does an image built on it
  if exists "$old"; then
    fail "the replaced image $old is still there: $(docker images --filter dangling=true)"
  fi
done

# A second init with the same context changes nothing.
out=$(DOCKEROPS_DATA_DIR=$data dockerops init 2>&1)
expect_contains "$out" "dockerops/dns is up to date" "second init"
dockerops -q clean:all,force=true
echo PASS
