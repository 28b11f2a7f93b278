"""Default-scope set-up, as in the other OpenMMLab toolboxes."""
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every defusion module that registers something and, if asked,
    make ``defusion`` the default scope.

    Args:
        init_default_scope (bool): Set the default scope to ``defusion`` so
            that registries find defusion modules first. Defaults to True.
    """
    import defusion.apis  # noqa: F401
    import defusion.datasets  # noqa: F401
    import defusion.engine  # noqa: F401
    import defusion.evaluation  # noqa: F401
    import defusion.models  # noqa: F401
    import defusion.visualization  # noqa: F401

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('defusion', scope_name='defusion')
    elif current.scope_name != 'defusion':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "defusion"; register_all_modules forces it to '
                      '"defusion".')
        stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S-%f')
        DefaultScope.get_instance(f'defusion-{stamp}', scope_name='defusion')
