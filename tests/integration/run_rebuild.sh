#!/bin/bash
# A rebuild while instances run: build keeps the replaced image (in use, now untagged), run:all
# recreates the instances on the new image ("image changed") and removes the replaced one with
# its last container; clean:all does the same for an image replaced since the last run.
source "$(dirname "$0")/runlib.bash"
new_project run-rebuild
make_service web
cat >run.conf <<'CONF'
[ {"service": "web", "instance": "one"}, {"service": "web", "instance": "two"} ]
CONF
image_of() { docker inspect --format '{{.Image}}' "$T_NAME-web-$1"; }
exists() { docker image inspect "$1" >/dev/null 2>&1; }

dockerops run:all
first=$(image_of one)
[[ $first == "$(image_of two)" ]] || fail "the two instances run different images"

echo 'RUN echo 2 > /version' >>services/web/Dockerfile
dockerops build:web
exists "$first" || fail "build removed the image two running containers use"
second=$(docker image inspect --format '{{.Id}}' "$T_NAME/web:latest")
[[ $second != "$first" ]] || fail "the rebuild made no new image"

out=$(dockerops run:all 2>&1)
expect_contains "$out" "image changed" "run:all after the rebuild"
[[ $(image_of one) == "$second" && $(image_of two) == "$second" ]] || fail "not recreated on the new image"
! exists "$first" || fail "the replaced image $first stayed after its last container was recreated"

echo 'RUN echo 3 > /version' >>services/web/Dockerfile
dockerops build:web
exists "$second" || fail "build removed the image in use"
dockerops clean:all,force=true
! exists "$second" || fail "the replaced image $second stayed after clean:all removed its containers"
exists "$T_NAME/web:latest" || fail "clean:all removed the current (tagged) image"
echo PASS
