# Login shells see the container's environment, written by the entrypoint at every start.
if [ -r /env.sh ]; then
  . /env.sh
fi
