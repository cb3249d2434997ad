#!/bin/bash
# A persistent instance keeps what it wrote under /data across clean + run (the host folder
# data_<project>/<service>-<instance> is mounted at /persistent and kept by clean).
source "$(dirname "$0")/runlib.bash"
new_project run-persist
make_service store
cat >run.conf <<'CONF'
[ {"service": "store", "instance": "keep", "instance_type": "persistent"} ]
CONF
dockerops run:all
dockerops shell:store,instance=keep -- sh -c 'echo kept-$PPID > /data/marker && cat /data/marker' >first.txt
[[ -d data_$T_NAME/store-keep/data ]] || fail "no host data folder data_$T_NAME/store-keep/data"
dockerops clean:all,force=true
[[ -f data_$T_NAME/store-keep/data/marker ]] || fail "clean removed the data folder"
dockerops run:all
dockerops shell:store,instance=keep,command="cat /data/marker" >second.txt
cmp first.txt second.txt || fail "the /data file changed: $(cat first.txt) vs $(cat second.txt)"
echo PASS
