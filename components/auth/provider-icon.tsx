type ProviderIconProps = { icon: { path: string; color: string }; className?: string };

export function ProviderIcon({ icon, className = "size-5" }: ProviderIconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" className={className} fill={icon.color}>
      <path d={icon.path} />
    </svg>
  );
}
