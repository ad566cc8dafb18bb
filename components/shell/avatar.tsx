const sizes = { sm: "size-8 text-sm", md: "size-10", lg: "size-12 text-lg" } as const;

/** A picture when the provider gave one, else the name's first letter. */
export function Avatar({
  name,
  image,
  size = "md",
}: {
  name: string;
  image: string | null;
  size?: keyof typeof sizes;
}) {
  if (image) {
    // eslint-disable-next-line @next/next/no-img-element -- avatars come from any provider host
    return <img src={image} alt="" className={`${sizes[size]} shrink-0 rounded-full bg-zinc-200 object-cover`} />;
  }
  return (
    <span
      aria-hidden
      className={`${sizes[size]} grid shrink-0 place-items-center rounded-full bg-zinc-200 font-semibold dark:bg-zinc-800`}
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
